// Messages written before search (no indexed words yet), a batch at a time.
// Params: $limit
// Returns: id, groupId, body
MATCH (m:Message)
WHERE m.searchText IS NULL
RETURN m.id AS id, m.groupId AS groupId, m.body AS body
LIMIT $limit
