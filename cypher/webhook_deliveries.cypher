// A webhook's kept deliveries (a JSON array, oldest first).
// Params: $id
// Returns: deliveries
MATCH (w:Webhook {id: $id})
RETURN w.deliveries AS deliveries
