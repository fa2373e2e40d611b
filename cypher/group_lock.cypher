// Takes the group's write lock (a write to the node) before its
// memberships are read, so transitions on one group run one at a time.
// Params: $groupId
// Returns: id
MATCH (g:Group {id: $groupId})
SET g.version = coalesce(g.version, 0) + 1
RETURN g.id AS id
