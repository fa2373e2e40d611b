// Takes the bot's write lock and reads it, before the memberships its
// change is checked on: changes of one bot run one at a time.
// Params: $id
// Returns: id, userId, groupId, name, keyPrefix, createdBy, createdAt, lastUsedAt, revokedAt, disabledReason, hookId
MATCH (b:Bot {id: $id})
SET b.version = b.version + 1
RETURN b.id AS id, b.userId AS userId, b.groupId AS groupId, b.name AS name,
       b.keyPrefix AS keyPrefix, b.createdBy AS createdBy, b.createdAt AS createdAt,
       b.lastUsedAt AS lastUsedAt, b.revokedAt AS revokedAt, b.disabledReason AS disabledReason, b.hookId AS hookId
