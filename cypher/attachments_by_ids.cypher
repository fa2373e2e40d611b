// Params: $ids (attachment ids)
// Returns: id, groupId, ownerId, filename, contentType, size, width, height,
//          createdAt (µs since epoch), messageId
UNWIND $ids AS wanted
MATCH (a:Attachment {id: wanted})
RETURN a.id AS id, a.groupId AS groupId, a.ownerId AS ownerId, a.filename AS filename,
       a.contentType AS contentType, a.size AS size, a.width AS width, a.height AS height,
       a.createdAt AS createdAt, a.messageId AS messageId
