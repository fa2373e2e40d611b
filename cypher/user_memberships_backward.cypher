// A user's MEMBER memberships, backward from the cursor (since, groupId).
// Params: $userId, $since and $groupId (null = from the end), $limit
// Returns: groupId, userId, state, role, note, reason, since, updatedAt, mutedUntil, bannedUntil, lastPostAt
MATCH (u:User {id: $userId})-[m:MEMBERSHIP]->(g:Group)
WHERE m.state = 'MEMBER' AND ($since IS NULL OR m.since < $since OR (m.since = $since AND g.id < $groupId))
RETURN g.id AS groupId, u.id AS userId, m.state AS state, m.role AS role, m.note AS note,
       m.reason AS reason, m.since AS since, m.updatedAt AS updatedAt,
       m.mutedUntil AS mutedUntil, m.bannedUntil AS bannedUntil, m.lastPostAt AS lastPostAt
ORDER BY m.since DESC, g.id DESC
LIMIT $limit
