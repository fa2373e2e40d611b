// Writes a data export (created, then its state once built).
// Params: $id, $userId, $state, $createdAt, $finishedAt
// Returns: id
MERGE (e:DataExport {id: $id})
ON CREATE SET e.userId = $userId, e.createdAt = $createdAt, e.state = $state,
              e.finishedAt = $finishedAt
SET e.state = $state, e.finishedAt = $finishedAt
RETURN e.id AS id
