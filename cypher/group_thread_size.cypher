// How many top-level messages a group has (its seqs run 1..size).
// Params: $groupId
// Returns: size
MATCH (g:Group {id: $groupId})
RETURN g.nextSeq - 1 AS size
