// Deletes up to $limit events marked published, in one statement (the
// sweeper's first step: the outbox keeps only what is pending).
// Params: $limit
// Returns: pruned (how many were deleted)
MATCH (e:OutboxEvent)
WHERE e.published = true
WITH e LIMIT $limit
DELETE e
RETURN count(*) AS pruned
