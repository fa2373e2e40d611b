// The bots among some ids.
// Params: $ids
// Returns: id, userId, groupId, name, keyPrefix, createdBy, createdAt, lastUsedAt, revokedAt, disabledReason, hookId
MATCH (b:Bot)
WHERE b.id IN $ids
RETURN b.id AS id, b.userId AS userId, b.groupId AS groupId, b.name AS name,
       b.keyPrefix AS keyPrefix, b.createdBy AS createdBy, b.createdAt AS createdAt,
       b.lastUsedAt AS lastUsedAt, b.revokedAt AS revokedAt, b.disabledReason AS disabledReason, b.hookId AS hookId
