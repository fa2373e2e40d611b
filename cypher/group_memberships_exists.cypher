// Whether a membership in $state lies on the far side of a cursor: $upTo
// true asks for keys <= (since, userId), false for keys >= it.
// Params: $groupId, $state, $since, $userId, $upTo
// Returns: found (one row, or none)
MATCH (u:User)-[m:MEMBERSHIP]->(g:Group {id: $groupId})
WHERE m.state = $state
  AND (($upTo AND (m.since < $since OR (m.since = $since AND u.id <= $userId)))
    OR (NOT $upTo AND (m.since > $since OR (m.since = $since AND u.id >= $userId))))
RETURN true AS found
LIMIT 1
