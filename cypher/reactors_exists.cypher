// Whether a reactor lies on the far side of a cursor: $upTo true asks for
// keys <= (createdAt, userId), false for keys >= it.
// Params: $messageId, $key, $createdAt, $userId, $upTo
// Returns: found (one row, or none)
MATCH (r:Reaction {messageId: $messageId, key: $key})
WHERE ($upTo AND (r.createdAt < $createdAt OR (r.createdAt = $createdAt AND r.userId <= $userId)))
   OR (NOT $upTo AND (r.createdAt > $createdAt OR (r.createdAt = $createdAt AND r.userId >= $userId)))
RETURN true AS found
LIMIT 1
