// A user's messages by id (oldest first), after $after.
// Params: $authorId, $after (a message id, or null), $limit
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch),
//          mentions, reactionKeys, reactionCounts (in order of first use),
//          pinnedAt, pinnedBy, attachments (JSON, or null for none)
MATCH (m:Message {authorId: $authorId})
WHERE $after IS NULL OR m.id > $after
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt,
       coalesce(m.mentions, []) AS mentions,
       coalesce(m.reactionKeys, []) AS reactionKeys, coalesce(m.reactionCounts, []) AS reactionCounts,
       m.pinnedAt AS pinnedAt, m.pinnedBy AS pinnedBy,
       m.attachments AS attachments
ORDER BY id
LIMIT $limit
