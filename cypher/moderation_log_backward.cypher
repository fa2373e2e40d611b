// A group's moderation log, backward from the cursor (at, id).
// Params: $groupId, $at and $id (null = from the end), $limit
// Returns: id, groupId, actorId, action, targetUserId, targetMessageId, reason, until, at
MATCH (e:ModerationEntry {groupId: $groupId})
WHERE $at IS NULL OR e.at < $at OR (e.at = $at AND e.id < $id)
RETURN e.id AS id, e.groupId AS groupId, e.actorId AS actorId, e.action AS action,
       e.targetUserId AS targetUserId, e.targetMessageId AS targetMessageId,
       e.reason AS reason, e.until AS until, e.at AS at
ORDER BY e.at DESC, e.id DESC
LIMIT $limit
