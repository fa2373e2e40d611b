// Messages written before search (no indexed words yet), a batch at a time.
// Params: $limit
// Returns: id, body
MATCH (m:Message)
WHERE m.searchText IS NULL
RETURN m.id AS id, m.body AS body
LIMIT $limit
