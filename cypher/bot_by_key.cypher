// The live, enabled bot holding the key with this digest (keys are looked
// up by their SHA-256, never compared in the clear).
// Params: $keyHash
// Returns: id, userId, groupId, name, keyPrefix, createdBy, createdAt, lastUsedAt, revokedAt, disabledReason, hookId
MATCH (b:Bot {keyHash: $keyHash})
WHERE b.revokedAt IS NULL AND b.disabledReason IS NULL
RETURN b.id AS id, b.userId AS userId, b.groupId AS groupId, b.name AS name,
       b.keyPrefix AS keyPrefix, b.createdBy AS createdBy, b.createdAt AS createdAt,
       b.lastUsedAt AS lastUsedAt, b.revokedAt AS revokedAt, b.disabledReason AS disabledReason, b.hookId AS hookId
