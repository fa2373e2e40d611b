// A user's uploads no message holds (a deleted account's strays).
// Params: $ownerId, $limit
// Returns: id, groupId, ownerId, filename, contentType, size, width, height,
//          createdAt (µs since epoch), messageId
MATCH (a:Attachment {ownerId: $ownerId})
WHERE a.messageId IS NULL
RETURN a.id AS id, a.groupId AS groupId, a.ownerId AS ownerId, a.filename AS filename,
       a.contentType AS contentType, a.size AS size, a.width AS width, a.height AS height,
       a.createdAt AS createdAt, a.messageId AS messageId
ORDER BY id
LIMIT $limit
