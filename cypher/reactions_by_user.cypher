// A user's reactions by reaction id, after $after.
// Params: $userId, $after (a reaction id, or null), $limit
// Returns: messageId, groupId, userId, key, createdAt
MATCH (r:Reaction {userId: $userId})
WHERE $after IS NULL OR r.id > $after
RETURN r.messageId AS messageId, r.groupId AS groupId, r.userId AS userId, r.key AS key,
       r.createdAt AS createdAt, r.id AS id
ORDER BY id
LIMIT $limit
