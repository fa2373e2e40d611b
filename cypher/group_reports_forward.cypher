// A group's reports in one state, forward from the cursor (createdAt, id).
// Params: $groupId, $state, $createdAt and $id (null = from the start), $limit
// Returns: id, groupId, messageId, authorId, reporterId, reason, note, state, action,
//          resolvedBy, createdAt, resolvedAt (times in µs since epoch)
MATCH (r:Report {groupId: $groupId, state: $state})
WHERE $createdAt IS NULL OR r.createdAt > $createdAt
   OR (r.createdAt = $createdAt AND r.id > $id)
RETURN r.id AS id, r.groupId AS groupId, r.messageId AS messageId, r.authorId AS authorId,
       r.reporterId AS reporterId, r.reason AS reason, r.note AS note, r.state AS state,
       r.action AS action, r.resolvedBy AS resolvedBy, r.createdAt AS createdAt,
       r.resolvedAt AS resolvedAt
ORDER BY r.createdAt, r.id
LIMIT $limit
