// Who reacted to a message with one key, forward from the cursor
// (createdAt, userId).
// Params: $messageId, $key, $createdAt and $userId (null = from the start), $limit
// Returns: messageId, groupId, userId, key, createdAt
MATCH (r:Reaction {messageId: $messageId, key: $key})
WHERE $createdAt IS NULL OR r.createdAt > $createdAt
   OR (r.createdAt = $createdAt AND r.userId > $userId)
RETURN r.messageId AS messageId, r.groupId AS groupId, r.userId AS userId, r.key AS key,
       r.createdAt AS createdAt
ORDER BY r.createdAt, r.userId
LIMIT $limit
