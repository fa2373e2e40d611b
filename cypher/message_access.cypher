// A message with its group and one user's membership in it, in one read
// (the access check of reading a message).
// Params: $id, $userId
// Returns: message (a map of the message columns), grp (a map of the group
//          columns), membership (a map of the membership columns, or null)
MATCH (m:Message {id: $id})
MATCH (g:Group {id: m.groupId})
OPTIONAL MATCH (:User {id: $userId})-[ms:MEMBERSHIP]->(g)
RETURN {id: m.id, groupId: m.groupId, authorId: m.authorId, body: m.body,
        parentId: m.parentId, rootId: m.rootId, depth: m.depth, seq: m.seq,
        replyCount: m.replyCount, clientMessageId: m.clientMessageId,
        createdAt: m.createdAt, editedAt: m.editedAt, deletedAt: m.deletedAt,
        mentions: coalesce(m.mentions, []),
        reactionKeys: coalesce(m.reactionKeys, []), reactionCounts: coalesce(m.reactionCounts, []),
        pinnedAt: m.pinnedAt, pinnedBy: m.pinnedBy} AS message,
       {id: g.id, name: g.name, description: g.description, visibility: g.visibility,
        createdAt: g.createdAt, memberCount: g.memberCount} AS grp,
       CASE WHEN ms IS NULL THEN null ELSE
         {groupId: g.id, userId: $userId, state: ms.state, role: ms.role, note: ms.note,
          reason: ms.reason, since: ms.since, updatedAt: ms.updatedAt,
          mutedUntil: ms.mutedUntil, bannedUntil: ms.bannedUntil, lastPostAt: ms.lastPostAt}
       END AS membership
