// Whether a report lies on the far side of a cursor: $upTo true asks for
// keys <= (createdAt, id), false for keys >= it.
// Params: $groupId, $state, $createdAt, $id, $upTo
// Returns: found (one row, or none)
MATCH (r:Report {groupId: $groupId, state: $state})
WHERE ($upTo AND (r.createdAt < $createdAt OR (r.createdAt = $createdAt AND r.id <= $id)))
   OR (NOT $upTo AND (r.createdAt > $createdAt OR (r.createdAt = $createdAt AND r.id >= $id)))
RETURN true AS found
LIMIT 1
