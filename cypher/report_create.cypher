// Records a new open report (the caller holds the message's lock and
// found no report of this reporter and message).
// Params: $id, $groupId, $messageId, $authorId, $reporterId, $reporterKey, $reason,
//         $note, $createdAt
// Returns: id, groupId, messageId, authorId, reporterId, reason, note, state, action,
//          resolvedBy, createdAt, resolvedAt (times in µs since epoch)
CREATE (r:Report {id: $id, groupId: $groupId, messageId: $messageId, authorId: $authorId,
                  reporterId: $reporterId, reporterKey: $reporterKey, reason: $reason,
                  note: $note, state: 'OPEN', action: null, resolvedBy: null,
                  createdAt: $createdAt, resolvedAt: null, version: 0})
RETURN r.id AS id, r.groupId AS groupId, r.messageId AS messageId, r.authorId AS authorId,
       r.reporterId AS reporterId, r.reason AS reason, r.note AS note, r.state AS state,
       r.action AS action, r.resolvedBy AS resolvedBy, r.createdAt AS createdAt,
       r.resolvedAt AS resolvedAt
