// Records one event in the outbox, inside the transaction of the write it
// announces: committed means announced (published at least once).
// Params: $id, $groupId, $occurredAt (µs), $payload (the event as JSON)
// Returns: nothing.
CREATE (:OutboxEvent {id: $id, groupId: $groupId, occurredAt: $occurredAt, payload: $payload})
