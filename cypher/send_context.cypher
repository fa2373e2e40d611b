// What a send is checked on, read in one statement: the message replied to
// (none for a top-level post), the group the message goes to (the named one,
// or the parent's), the author's membership in it, and which of the users
// the body names are members.
// Params: $groupId (top-level, null for a reply), $parentId (a reply, null
//         for a top-level post), $authorId, $named (user ids)
// Returns: parent (a map of the message columns, or null), groupFound, slowModeSeconds,
//          membership (a map of the membership columns, or null), mentioned
OPTIONAL MATCH (p:Message {id: $parentId})
WITH p, coalesce(p.groupId, $groupId) AS target
OPTIONAL MATCH (g:Group {id: target})
OPTIONAL MATCH (:User {id: $authorId})-[m:MEMBERSHIP]->(g)
RETURN CASE WHEN p IS NULL THEN null ELSE
         {id: p.id, groupId: p.groupId, authorId: p.authorId, body: p.body,
          parentId: p.parentId, rootId: p.rootId, depth: p.depth, seq: p.seq,
          replyCount: p.replyCount, clientMessageId: p.clientMessageId,
          createdAt: p.createdAt, editedAt: p.editedAt, deletedAt: p.deletedAt,
          mentions: coalesce(p.mentions, [])}
       END AS parent,
       g IS NOT NULL AS groupFound, coalesce(g.slowModeSeconds, 0) AS slowModeSeconds,
       CASE WHEN m IS NULL THEN null ELSE
         {groupId: g.id, userId: $authorId, state: m.state, role: m.role, note: m.note,
          reason: m.reason, since: m.since, updatedAt: m.updatedAt,
          mutedUntil: m.mutedUntil, bannedUntil: m.bannedUntil, lastPostAt: m.lastPostAt}
       END AS membership,
       [x IN $named WHERE EXISTS {
          MATCH (:User {id: x})-[r:MEMBERSHIP]->(g) WHERE r.state = 'MEMBER' }] AS mentioned
