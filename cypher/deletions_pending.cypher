// Deletions begun and not finished, oldest first.
// Params: $limit
// Returns: userId, ghost
MATCH (d:Deletion)
RETURN d.userId AS userId, d.ghost AS ghost
ORDER BY d.startedAt
LIMIT $limit
