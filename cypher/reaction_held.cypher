// What a reaction change is checked on, read after the message is locked
// (message_lock): the user's membership in the message's group and the
// keys they hold on the message.
// Params: $messageId, $userId
// Returns: membership (a map of the membership columns, or null), held (keys)
MATCH (m:Message {id: $messageId})
OPTIONAL MATCH (:User {id: $userId})-[ms:MEMBERSHIP]->(:Group {id: m.groupId})
OPTIONAL MATCH (r:Reaction {messageId: $messageId, userId: $userId})
WITH m, ms, collect(r.key) AS held
RETURN CASE WHEN ms IS NULL THEN null ELSE
         {groupId: m.groupId, userId: $userId, state: ms.state, role: ms.role, note: ms.note,
          reason: ms.reason, since: ms.since, updatedAt: ms.updatedAt,
          mutedUntil: ms.mutedUntil, bannedUntil: ms.bannedUntil, lastPostAt: ms.lastPostAt}
       END AS membership,
       held
