// Creates a top-level message and records its event, in one statement.
// Guarded on what the send was judged on (the author's membership as read,
// by its updatedAt): no row when it changed, and nothing written. Then the
// group hands out its next seq (SET on a property it reads: Neo4j takes the
// write lock before reading, so no update is lost) and the event is
// recorded with that seq beside its payload.
// Params: $id, $groupId, $authorId, $membershipUpdatedAt, $body, $clientMessageId,
//         $idemKey, $now, $eventId, $payload (the event as JSON, seq left to the column)
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch)
MATCH (u:User {id: $authorId})-[mb:MEMBERSHIP]->(g:Group {id: $groupId})
WHERE mb.updatedAt = $membershipUpdatedAt
SET g.nextSeq = g.nextSeq + 1
WITH u, g, g.nextSeq - 1 AS seq
CREATE (m:Message {id: $id, groupId: $groupId, authorId: $authorId, body: $body,
                   parentId: null, parentKey: $groupId, rootId: $id, depth: 0,
                   seq: seq, replyCount: 0, nextSeq: 1, version: 0,
                   clientMessageId: $clientMessageId, idemKey: $idemKey,
                   createdAt: $now, editedAt: null, deletedAt: null})
CREATE (u)-[:POSTED]->(m)
CREATE (m)-[:IN]->(g)
CREATE (:OutboxEvent {id: $eventId, groupId: $groupId, occurredAt: $now,
                      payload: $payload, seq: seq})
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt
