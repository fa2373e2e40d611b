// The memberships of some users in one group.
// Params: $groupId, $userIds
// Returns: groupId, userId, state, role, note, reason, since, updatedAt, mutedUntil, bannedUntil, lastPostAt
UNWIND $userIds AS wanted
MATCH (u:User {id: wanted})-[m:MEMBERSHIP]->(g:Group {id: $groupId})
RETURN g.id AS groupId, u.id AS userId, m.state AS state, m.role AS role, m.note AS note,
       m.reason AS reason, m.since AS since, m.updatedAt AS updatedAt,
       m.mutedUntil AS mutedUntil, m.bannedUntil AS bannedUntil, m.lastPostAt AS lastPostAt
