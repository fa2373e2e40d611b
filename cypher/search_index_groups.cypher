// Writes groups' indexed words (the search backfill).
// Params: $rows (list of {id, text})
// Returns: id
UNWIND $rows AS row
MATCH (g:Group {id: row.id})
SET g.searchText = row.text
RETURN g.id AS id
