// Takes a report's write lock and reads it, so resolutions of one report
// run one at a time.
// Params: $id
// Returns: id, groupId, messageId, authorId, reporterId, reason, note, state, action,
//          resolvedBy, createdAt, resolvedAt (times in µs since epoch)
MATCH (r:Report {id: $id})
SET r.version = coalesce(r.version, 0) + 1
RETURN r.id AS id, r.groupId AS groupId, r.messageId AS messageId, r.authorId AS authorId,
       r.reporterId AS reporterId, r.reason AS reason, r.note AS note, r.state AS state,
       r.action AS action, r.resolvedBy AS resolvedBy, r.createdAt AS createdAt,
       r.resolvedAt AS resolvedAt
