// Records a use of the bot's key, unless one was recorded since $before
// (at most one write a minute per bot).
// Params: $id, $now, $before
// Returns: nothing.
MATCH (b:Bot {id: $id})
WHERE b.lastUsedAt IS NULL OR b.lastUsedAt <= $before
SET b.lastUsedAt = $now
