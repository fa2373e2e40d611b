// Data exports among some ids.
// Params: $ids
// Returns: id, userId, state, createdAt, finishedAt
MATCH (e:DataExport)
WHERE e.id IN $ids
RETURN e.id AS id, e.userId AS userId, e.state AS state, e.createdAt AS createdAt,
       e.finishedAt AS finishedAt
