// Records one event in the outbox, inside the transaction of the write it
// announces: committed means announced (published at least once). A send
// records its own event with its seq and the group's member count
// (message_send_*), other events carry none (the columns are named here
// all the same: kglite takes a label's properties from its first node).
// Params: $id, $groupId, $occurredAt (µs), $payload (the event as JSON)
// Returns: nothing.
CREATE (:OutboxEvent {id: $id, groupId: $groupId, occurredAt: $occurredAt, payload: $payload,
                      seq: null, memberCount: null, published: false})
