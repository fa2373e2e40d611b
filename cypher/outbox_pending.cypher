// Events not yet confirmed published, oldest first (the sweeper's list).
// Params: $before (µs), $limit
// Returns: payload
MATCH (e:OutboxEvent)
WHERE e.occurredAt < $before
RETURN e.payload AS payload
ORDER BY e.occurredAt
LIMIT $limit
