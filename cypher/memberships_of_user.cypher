// Every membership of a user, in any state, by group id.
// Params: $userId
// Returns: groupId, userId, state, role, note, reason, since, updatedAt, mutedUntil, bannedUntil, lastPostAt
MATCH (u:User {id: $userId})-[m:MEMBERSHIP]->(g:Group)
RETURN g.id AS groupId, u.id AS userId, m.state AS state, m.role AS role, m.note AS note,
       m.reason AS reason, m.since AS since, m.updatedAt AS updatedAt,
       m.mutedUntil AS mutedUntil, m.bannedUntil AS bannedUntil, m.lastPostAt AS lastPostAt
ORDER BY groupId
