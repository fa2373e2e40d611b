// Deletes a deleted user's thread participations (myThreads).
// Params: $userId
// Returns: deleted
MATCH (p:Participation {userId: $userId})
DETACH DELETE p
RETURN count(*) AS deleted
