// The reactions one user holds on any of the given messages, oldest first
// (viewerReacted of a page of messages: one read).
// Params: $userId, $messageIds
// Returns: messageId, groupId, userId, key, createdAt
MATCH (r:Reaction)
WHERE r.messageId IN $messageIds AND r.userId = $userId
RETURN r.messageId AS messageId, r.groupId AS groupId, r.userId AS userId, r.key AS key,
       r.createdAt AS createdAt
ORDER BY r.createdAt, r.key
