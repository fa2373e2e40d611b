// The oldest uploads created before $before that no sweep has kept.
// Params: $before (µs since epoch), $limit
// Returns: id, groupId, ownerId, filename, contentType, size, width, height,
//          createdAt (µs since epoch), messageId
MATCH (a:Attachment)
WHERE a.createdAt < $before AND a.kept = false
RETURN a.id AS id, a.groupId AS groupId, a.ownerId AS ownerId, a.filename AS filename,
       a.contentType AS contentType, a.size AS size, a.width AS width, a.height AS height,
       a.createdAt AS createdAt, a.messageId AS messageId
ORDER BY a.createdAt
LIMIT $limit
