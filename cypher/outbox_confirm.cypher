// Drops published events from the outbox (unknown ids are ignored).
// Params: $ids (list of event ids)
// Returns: nothing.
UNWIND $ids AS confirmed
MATCH (e:OutboxEvent {id: confirmed})
DELETE e
