// A user's deletion, while it is under way.
// Params: $userId
// Returns: userId, ghost
MATCH (d:Deletion {userId: $userId})
RETURN d.userId AS userId, d.ghost AS ghost
