// The bot of an incoming webhook and the digest of the hook's secret (the
// caller compares digests in constant time).
// Params: $hookId
// Returns: id, userId, groupId, name, keyPrefix, createdBy, createdAt, lastUsedAt, revokedAt, disabledReason, hookId,
//          hookSecretHash
MATCH (b:Bot {hookId: $hookId})
RETURN b.id AS id, b.userId AS userId, b.groupId AS groupId, b.name AS name,
       b.keyPrefix AS keyPrefix, b.createdBy AS createdBy, b.createdAt AS createdAt,
       b.lastUsedAt AS lastUsedAt, b.revokedAt AS revokedAt, b.disabledReason AS disabledReason, b.hookId AS hookId,
       b.hookSecretHash AS hookSecretHash
