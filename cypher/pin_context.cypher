// Locks the group (after the message: message_lock, the order a delete
// takes them) and reads what a pin change is checked on: the group's
// pinned messages, in pin order, and the actor's membership.
// Params: $groupId, $userId
// Returns: pinned (message ids), membership (a map of the membership columns, or null)
MATCH (g:Group {id: $groupId})
SET g.version = coalesce(g.version, 0) + 1
WITH g
OPTIONAL MATCH (:User {id: $userId})-[ms:MEMBERSHIP]->(g)
RETURN coalesce(g.pinned, []) AS pinned,
       CASE WHEN ms IS NULL THEN null ELSE
         {groupId: g.id, userId: $userId, state: ms.state, role: ms.role, note: ms.note,
          reason: ms.reason, since: ms.since, updatedAt: ms.updatedAt,
          mutedUntil: ms.mutedUntil, bannedUntil: ms.bannedUntil, lastPostAt: ms.lastPostAt}
       END AS membership
