// The members whose read marker is at or past a message (its author left
// out), forward from the cursor (readPos, userId).
// Params: $messageId, $readPos and $userId (null = from the start), $limit
// Returns: groupId, userId, state, role, note, reason, since, updatedAt, readPos
MATCH (m:Message {id: $messageId})
WITH m.groupId AS groupId, m.pos AS pos, m.authorId AS authorId
MATCH (u:User)-[r:MEMBERSHIP]->(g:Group)
WHERE r.groupId = groupId AND r.readPos >= pos AND r.state = 'MEMBER' AND u.id <> authorId
  AND ($readPos IS NULL OR r.readPos > $readPos OR (r.readPos = $readPos AND u.id > $userId))
RETURN g.id AS groupId, u.id AS userId, r.state AS state, r.role AS role, r.note AS note,
       r.reason AS reason, r.since AS since, r.updatedAt AS updatedAt, r.readPos AS readPos
ORDER BY r.readPos, u.id
LIMIT $limit
