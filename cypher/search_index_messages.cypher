// Writes messages' indexed words (the search backfill).
// Params: $rows (list of {id, text})
// Returns: id
UNWIND $rows AS row
MATCH (m:Message {id: row.id})
SET m.searchText = row.text
RETURN m.id AS id
