// Search candidates: messages whose indexed words hold any of the query's
// (and the searcher's groups' words, which weigh their messages in), by
// the index's score, kept to the scope. Which match, and their order, is
// decided by the caller (domain::search).
// Params: $query (indexed words, space-separated: ASCII letters and digits only),
//         $limit, $groupIds, $authorId, $since, $until (µs since epoch, or null)
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch),
//          mentions, reactionKeys, reactionCounts (in order of first use),
//          pinnedAt, pinnedBy, attachments (JSON, or null for none)
CALL db.index.fulltext.queryNodes('message_search', $query, {limit: $limit}) YIELD node, score
WITH node AS m, score
WHERE m.groupId IN $groupIds AND m.deletedAt IS NULL
  AND ($authorId IS NULL OR m.authorId = $authorId)
  AND ($since IS NULL OR m.createdAt >= $since)
  AND ($until IS NULL OR m.createdAt <= $until)
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt,
       coalesce(m.mentions, []) AS mentions,
       coalesce(m.reactionKeys, []) AS reactionKeys, coalesce(m.reactionCounts, []) AS reactionCounts,
       m.pinnedAt AS pinnedAt, m.pinnedBy AS pinnedBy,
       m.attachments AS attachments
ORDER BY score DESC
