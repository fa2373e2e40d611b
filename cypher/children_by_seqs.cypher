// One page of a parent's children (a group's top-level messages or a
// message's replies), fetched by exact (parentKey, seq) keys: seq is
// gap-free and children are never removed (deletes leave tombstones), so a
// page after seq k is seqs k+1..k+n, and each is one seek on the
// (parentKey, seq) index whatever the thread's size.
// Params: $parentKey, $seqs (the page's seqs, ascending)
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch),
//          mentions, reactionKeys, reactionCounts (in order of first use),
//          pinnedAt, pinnedBy, attachments (JSON, or null for none)
UNWIND $seqs AS wanted
MATCH (m:Message {parentKey: $parentKey, seq: wanted})
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt,
       coalesce(m.mentions, []) AS mentions,
       coalesce(m.reactionKeys, []) AS reactionKeys, coalesce(m.reactionCounts, []) AS reactionCounts,
       m.pinnedAt AS pinnedAt, m.pinnedBy AS pinnedBy,
       m.attachments AS attachments
ORDER BY m.seq
