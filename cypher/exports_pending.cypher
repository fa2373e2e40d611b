// Data exports still pending, oldest first.
// Params: $limit
// Returns: id, userId, state, createdAt, finishedAt
MATCH (e:DataExport)
WHERE e.state = 'PENDING'
RETURN e.id AS id, e.userId AS userId, e.state AS state, e.createdAt AS createdAt,
       e.finishedAt AS finishedAt
ORDER BY createdAt
LIMIT $limit
