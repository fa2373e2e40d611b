// Appends one entry to a group's moderation log, in the transaction of the
// action it records.
// Params: $id, $groupId, $actorId, $action, $targetUserId, $targetMessageId, $reason,
//         $until (µs since epoch, or null), $at (µs since epoch)
// Returns: id
CREATE (e:ModerationEntry {id: $id, groupId: $groupId, actorId: $actorId, action: $action,
                           targetUserId: $targetUserId, targetMessageId: $targetMessageId,
                           reason: $reason, until: $until, at: $at})
RETURN e.id AS id
