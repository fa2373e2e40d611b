// One page of a parent's children (a group's top-level messages or a
// message's replies), forward from seq $seq, using the (parentKey, seq) index.
// Params: $parentKey, $seq (null = from the start), $limit
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch)
MATCH (m:Message)
WHERE m.parentKey = $parentKey AND ($seq IS NULL OR m.seq > $seq)
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt
ORDER BY m.seq
LIMIT $limit
