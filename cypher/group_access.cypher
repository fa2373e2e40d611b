// A group and one user's membership in it, in one read (the access check
// of every request that touches a group).
// Params: $groupId, $userId
// Returns: id, name, description, visibility, createdAt, memberCount, slowModeSeconds, and
// groupId, userId, state, role, note, reason, since, updatedAt, mutedUntil, bannedUntil, lastPostAt (null when
// the user has no membership)
MATCH (g:Group {id: $groupId})
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBERSHIP]->(g)
RETURN g.id AS id, g.name AS name, g.description AS description, g.visibility AS visibility,
       g.createdAt AS createdAt, g.memberCount AS memberCount,
       coalesce(g.slowModeSeconds, 0) AS slowModeSeconds,
       CASE WHEN m IS NULL THEN null ELSE g.id END AS groupId, u.id AS userId,
       m.state AS state, m.role AS role, m.note AS note, m.reason AS reason,
       m.since AS since, m.updatedAt AS updatedAt, m.mutedUntil AS mutedUntil,
       m.bannedUntil AS bannedUntil, m.lastPostAt AS lastPostAt
