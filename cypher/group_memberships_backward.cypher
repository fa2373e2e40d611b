// A group's memberships in one state, backward from the cursor (since, userId).
// Params: $groupId, $state, $since and $userId (null = from the end), $limit
// Returns: groupId, userId, state, role, note, reason, since, updatedAt, mutedUntil, bannedUntil, lastPostAt
MATCH (u:User)-[m:MEMBERSHIP]->(g:Group {id: $groupId})
WHERE m.state = $state AND ($since IS NULL OR m.since < $since OR (m.since = $since AND u.id < $userId))
RETURN g.id AS groupId, u.id AS userId, m.state AS state, m.role AS role, m.note AS note,
       m.reason AS reason, m.since AS since, m.updatedAt AS updatedAt,
       m.mutedUntil AS mutedUntil, m.bannedUntil AS bannedUntil, m.lastPostAt AS lastPostAt
ORDER BY m.since DESC, u.id DESC
LIMIT $limit
