// A user's latest data export.
// Params: $userId
// Returns: id, userId, state, createdAt, finishedAt
MATCH (e:DataExport {userId: $userId})
RETURN e.id AS id, e.userId AS userId, e.state AS state, e.createdAt AS createdAt,
       e.finishedAt AS finishedAt
ORDER BY createdAt DESC, id DESC
LIMIT 1
