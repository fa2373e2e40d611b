// Params: $ids (list of report ids)
// Returns: id, groupId, messageId, authorId, reporterId, reason, note, state, action,
//          resolvedBy, createdAt, resolvedAt (times in µs since epoch)
UNWIND $ids AS wanted
MATCH (r:Report {id: wanted})
RETURN r.id AS id, r.groupId AS groupId, r.messageId AS messageId, r.authorId AS authorId,
       r.reporterId AS reporterId, r.reason AS reason, r.note AS note, r.state AS state,
       r.action AS action, r.resolvedBy AS resolvedBy, r.createdAt AS createdAt,
       r.resolvedAt AS resolvedAt
