// Records a deletion under way, unless one is: the first one's ghost (the
// id the user's messages move to) stays.
// Params: $userId, $ghost, $now
// Returns: ghost
MERGE (d:Deletion {userId: $userId})
ON CREATE SET d.ghost = $ghost, d.startedAt = $now
RETURN d.ghost AS ghost
