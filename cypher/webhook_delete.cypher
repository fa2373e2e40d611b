// Deletes a webhook and the deliveries it keeps.
// Params: $id
// Returns: id
MATCH (w:Webhook {id: $id})
WITH w, w.id AS id
DELETE w
RETURN id
