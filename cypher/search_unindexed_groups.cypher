// Groups written before group search (no indexed words yet), a batch at a time.
// Params: $limit
// Returns: id, name, description
MATCH (g:Group)
WHERE g.searchText IS NULL
RETURN g.id AS id, g.name AS name, g.description AS description
LIMIT $limit
