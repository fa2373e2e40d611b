// Whether a child lies on the far side of a cursor: $upTo true asks for
// seq <= $seq, false for seq >= $seq.
// Params: $parentKey, $seq, $upTo
// Returns: found
MATCH (m:Message)
WHERE m.parentKey = $parentKey
  AND (($upTo AND m.seq <= $seq) OR (NOT $upTo AND m.seq >= $seq))
RETURN count(m) > 0 AS found
