// Memberships by [groupId, userId] pairs.
// Params: $pairs (list of [groupId, userId])
// Returns: groupId, userId, state, role, note, reason, since, updatedAt, mutedUntil, bannedUntil, lastPostAt
UNWIND $pairs AS pair
MATCH (u:User {id: pair[1]})-[m:MEMBERSHIP]->(g:Group {id: pair[0]})
RETURN g.id AS groupId, u.id AS userId, m.state AS state, m.role AS role, m.note AS note,
       m.reason AS reason, m.since AS since, m.updatedAt AS updatedAt,
       m.mutedUntil AS mutedUntil, m.bannedUntil AS bannedUntil, m.lastPostAt AS lastPostAt
