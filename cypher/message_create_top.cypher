// Creates a top-level message in a group (same properties as a reply).
// Params: $id, $groupId, $authorId, $body, $parentId, $parentKey, $rootId, $depth,
//         $seq, $clientMessageId, $idemKey, $now
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch)
MATCH (g:Group {id: $groupId}), (u:User {id: $authorId})
CREATE (m:Message {id: $id, groupId: $groupId, authorId: $authorId, body: $body,
                   parentId: $parentId, parentKey: $parentKey, rootId: $rootId, depth: $depth,
                   seq: $seq, replyCount: 0, nextSeq: 1, version: 0,
                   clientMessageId: $clientMessageId, idemKey: $idemKey,
                   createdAt: $now, editedAt: null, deletedAt: null})
CREATE (u)-[:POSTED]->(m)
CREATE (m)-[:IN]->(g)
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt
