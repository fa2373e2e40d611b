// The bots a user created, revoked ones too, by id.
// Params: $userId
// Returns: id, userId, groupId, name, keyPrefix, createdBy, createdAt, lastUsedAt, revokedAt, disabledReason, hookId
MATCH (b:Bot)
WHERE b.createdBy = $userId
RETURN b.id AS id, b.userId AS userId, b.groupId AS groupId, b.name AS name,
       b.keyPrefix AS keyPrefix, b.createdBy AS createdBy, b.createdAt AS createdAt,
       b.lastUsedAt AS lastUsedAt, b.revokedAt AS revokedAt, b.disabledReason AS disabledReason, b.hookId AS hookId
ORDER BY id
