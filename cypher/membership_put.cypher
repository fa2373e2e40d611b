// Writes a membership decided by domain::membership::decide. A first join
// starts the member's read marker at the group's last message.
// Params: $groupId, $userId, $state, $role, $note, $reason, $since, $updatedAt,
//         $mutedUntil, $bannedUntil (µs since epoch, or null)
// Returns: groupId, userId, state, role, note, reason, since, updatedAt, mutedUntil, bannedUntil, lastPostAt
MATCH (u:User {id: $userId}), (g:Group {id: $groupId})
MERGE (u)-[m:MEMBERSHIP]->(g)
SET m.state = $state, m.role = $role, m.note = $note, m.reason = $reason,
    m.since = $since, m.updatedAt = $updatedAt,
    m.mutedUntil = $mutedUntil, m.bannedUntil = $bannedUntil,
    m.readPos = CASE WHEN m.readPos IS NULL AND $state = 'MEMBER'
                     THEN coalesce(g.posted, 0) ELSE m.readPos END
// A member's marker as one sortable key (seenBy), none for others.
SET m.readKey = CASE WHEN m.state = 'MEMBER' AND m.readPos IS NOT NULL
                     THEN g.id + ':' + right('000000000000' + toString(m.readPos), 12) END
RETURN g.id AS groupId, u.id AS userId, m.state AS state, m.role AS role, m.note AS note,
       m.reason AS reason, m.since AS since, m.updatedAt AS updatedAt,
       m.mutedUntil AS mutedUntil, m.bannedUntil AS bannedUntil, m.lastPostAt AS lastPostAt
