// Whether a MEMBER membership lies on the far side of a cursor (see
// group_memberships_exists).
// Params: $userId, $since, $groupId, $upTo
// Returns: found (one row, or none)
MATCH (u:User {id: $userId})-[m:MEMBERSHIP]->(g:Group)
WHERE m.state = 'MEMBER'
  AND (($upTo AND (m.since < $since OR (m.since = $since AND g.id <= $groupId)))
    OR (NOT $upTo AND (m.since > $since OR (m.since = $since AND g.id >= $groupId))))
RETURN true AS found
LIMIT 1
