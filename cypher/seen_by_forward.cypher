// The members whose read marker key lies in [$from, $to) (a message's
// readers: its group's keys from its position on), forward from the
// cursor (readKey, userId), the author and bots left out.
// Params: $from, $to, $authorId, $botPrefix, $userId (null = from $from), $limit
// Returns: groupId, userId, state, role, note, reason, since, updatedAt, mutedUntil, bannedUntil, lastPostAt, readPos
MATCH (u:User)-[r:MEMBERSHIP]->(g:Group)
WHERE r.readKey >= $from AND r.readKey < $to AND r.state = 'MEMBER'
  AND u.id <> $authorId AND NOT u.id STARTS WITH $botPrefix
  AND ($userId IS NULL OR r.readKey > $from OR u.id > $userId)
RETURN g.id AS groupId, u.id AS userId, r.state AS state, r.role AS role, r.note AS note,
       r.reason AS reason, r.since AS since, r.updatedAt AS updatedAt, r.mutedUntil AS mutedUntil,
       r.bannedUntil AS bannedUntil, r.lastPostAt AS lastPostAt, r.readPos AS readPos
ORDER BY r.readKey, u.id
LIMIT $limit
