// Hands out the group's next top-level seq (run after group_lock took the
// group's write lock).
// Params: $groupId
// Returns: seq
MATCH (g:Group {id: $groupId})
SET g.nextSeq = g.nextSeq + 1
RETURN g.nextSeq - 1 AS seq
