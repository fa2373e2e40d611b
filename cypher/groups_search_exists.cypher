// Whether a matching group lies on the far side of a cursor: $upTo true
// asks for keys <= the cursor, false for keys >= it.
// Params: $query, $name, $id, $upTo
// Returns: found (one row, or none)
MATCH (g:Group)
WHERE g.nameKey CONTAINS $query
  AND (($upTo AND (g.nameKey < $name OR (g.nameKey = $name AND g.id <= $id)))
    OR (NOT $upTo AND (g.nameKey > $name OR (g.nameKey = $name AND g.id >= $id))))
RETURN true AS found
LIMIT 1
