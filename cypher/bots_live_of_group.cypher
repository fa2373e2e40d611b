// The group's live (not revoked) bots, incoming webhooks' included, read
// under the group's lock when a bot is created, to hold each kind to
// domain::bot::MAX_PER_GROUP.
// Params: $groupId
// Returns: hookId
MATCH (b:Bot {groupId: $groupId})
WHERE b.revokedAt IS NULL
RETURN b.hookId AS hookId
