// Writes a webhook as domain::webhook decided it (Webhook::patched or
// Webhook::after), with its kept deliveries and attempt count.
// Params: $id, $url, $events, $enabled, $disabledReason, $failures, $secret, $attempts,
//         $deliveries
// Returns: id
MATCH (w:Webhook {id: $id})
SET w.url = $url, w.events = $events, w.enabled = $enabled,
    w.disabledReason = $disabledReason, w.failures = $failures, w.secret = $secret,
    w.attempts = $attempts, w.deliveries = $deliveries
RETURN w.id AS id
