// Whether a log entry lies on the far side of a cursor: $upTo true asks for
// keys <= (at, id), false for keys >= it.
// Params: $groupId, $at, $id, $upTo
// Returns: found (one row, or none)
MATCH (e:ModerationEntry {groupId: $groupId})
WHERE ($upTo AND (e.at < $at OR (e.at = $at AND e.id <= $id)))
   OR (NOT $upTo AND (e.at > $at OR (e.at = $at AND e.id >= $id)))
RETURN true AS found
LIMIT 1
