// Writes a report's resolution (decided by domain::report::Report::resolved).
// Params: $id, $action, $resolvedBy, $resolvedAt
// Returns: id, groupId, messageId, authorId, reporterId, reason, note, state, action,
//          resolvedBy, createdAt, resolvedAt (times in µs since epoch)
MATCH (r:Report {id: $id})
SET r.state = 'RESOLVED', r.action = $action, r.resolvedBy = $resolvedBy,
    r.resolvedAt = $resolvedAt
RETURN r.id AS id, r.groupId AS groupId, r.messageId AS messageId, r.authorId AS authorId,
       r.reporterId AS reporterId, r.reason AS reason, r.note AS note, r.state AS state,
       r.action AS action, r.resolvedBy AS resolvedBy, r.createdAt AS createdAt,
       r.resolvedAt AS resolvedAt
