// A message's nearest $last ancestors along REPLY_TO, root-most first.
// The walk stops at 100 hops (the API's cap on `ancestors(last:)`), so a
// deep chain costs at most 100 steps.
// Params: $id, $last (1..=100)
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch),
//          mentions, reactionKeys, reactionCounts (in order of first use),
//          pinnedAt, pinnedBy, attachments (JSON, or null for none)
MATCH (:Message {id: $id})-[:REPLY_TO*1..100]->(m:Message)
WITH m ORDER BY m.depth DESC LIMIT $last
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt,
       coalesce(m.mentions, []) AS mentions,
       coalesce(m.reactionKeys, []) AS reactionKeys, coalesce(m.reactionCounts, []) AS reactionCounts,
       m.pinnedAt AS pinnedAt, m.pinnedBy AS pinnedBy,
       m.attachments AS attachments
ORDER BY m.depth
