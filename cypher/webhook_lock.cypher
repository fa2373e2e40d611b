// Takes the webhook's write lock and reads it with its kept deliveries (a
// JSON array) and its attempt count, before a change or an attempt is
// applied: changes of one webhook run one at a time.
// Params: $id
// Returns: id, groupId, url, events, enabled, disabledReason, createdBy, createdAt, failures,
//          secret, attempts, deliveries
MATCH (w:Webhook {id: $id})
SET w.version = w.version + 1
RETURN w.id AS id, w.groupId AS groupId, w.url AS url, w.events AS events,
       w.enabled AS enabled, w.disabledReason AS disabledReason, w.createdBy AS createdBy,
       w.createdAt AS createdAt, w.failures AS failures, w.secret AS secret,
       w.attempts AS attempts, w.deliveries AS deliveries
