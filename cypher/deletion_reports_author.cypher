// Reports on a deleted user's messages name the ghost as the author.
// Params: $userId, $ghost
// Returns: moved
MATCH (r:Report)
WHERE r.authorId = $userId
SET r.authorId = $ghost
RETURN count(r) AS moved
