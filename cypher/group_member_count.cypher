// Params: $groupId, $delta
// Returns: memberCount
MATCH (g:Group {id: $groupId})
SET g.memberCount = g.memberCount + $delta
RETURN g.memberCount AS memberCount
