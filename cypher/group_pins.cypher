// A group's pinned messages, in pin order.
// Params: $groupId
// Returns: pinned (message ids), or no row when the group does not exist
MATCH (g:Group {id: $groupId})
RETURN coalesce(g.pinned, []) AS pinned
