// Marks published events (unknown ids are ignored). They leave the outbox
// in bulk at the next sweep (outbox_prune): a delete per event costs more
// than a property set on some engines (kglite's grows with every node it
// ever deleted), and the hot path confirms after every write.
// Params: $ids (list of event ids)
// Returns: nothing.
UNWIND $ids AS confirmed
MATCH (e:OutboxEvent {id: confirmed})
SET e.published = true
