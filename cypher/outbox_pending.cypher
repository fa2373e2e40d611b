// Events not yet confirmed published, oldest first (the sweeper's list);
// events recorded before confirmations were marked have no `published`.
// Params: $before (µs), $limit
// Returns: payload, seq (a send's seq, taken by the statement that recorded
//          the event, set into its message. Null for other events),
//          memberCount (a send's: the group's member count it saw)
MATCH (e:OutboxEvent)
WHERE e.occurredAt < $before AND coalesce(e.published, false) = false
RETURN e.payload AS payload, e.seq AS seq, e.memberCount AS memberCount
ORDER BY e.occurredAt
LIMIT $limit
