// Ends a deletion.
// Params: $userId
// Returns: done
MATCH (d:Deletion {userId: $userId})
DELETE d
RETURN count(*) AS done
