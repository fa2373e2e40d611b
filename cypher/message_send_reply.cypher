// Creates a reply and records its event, in one statement. Guarded on what
// the send was judged on (the author's membership as read, by its
// updatedAt, and a live parent): no row when either changed, and nothing
// written. Then the parent hands out its next seq and counts the reply (SET
// on properties it reads: Neo4j takes the write lock before reading, so no
// update is lost) and the event is recorded with that seq beside its payload.
// Params: $id, $groupId, $authorId, $membershipUpdatedAt, $body, $parentId, $rootId,
//         $depth, $clientMessageId, $idemKey, $now, $eventId, $payload (the event as
//         JSON, seq left to the column)
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch)
MATCH (u:User {id: $authorId})-[mb:MEMBERSHIP]->(:Group {id: $groupId})
WHERE mb.updatedAt = $membershipUpdatedAt
MATCH (p:Message {id: $parentId})
WHERE p.deletedAt IS NULL
SET p.nextSeq = p.nextSeq + 1, p.replyCount = p.replyCount + 1
WITH u, p, p.nextSeq - 1 AS seq
CREATE (m:Message {id: $id, groupId: $groupId, authorId: $authorId, body: $body,
                   parentId: $parentId, parentKey: $parentId, rootId: $rootId, depth: $depth,
                   seq: seq, replyCount: 0, nextSeq: 1, version: 0,
                   clientMessageId: $clientMessageId, idemKey: $idemKey,
                   createdAt: $now, editedAt: null, deletedAt: null})
CREATE (u)-[:POSTED]->(m)
CREATE (m)-[:REPLY_TO]->(p)
CREATE (:OutboxEvent {id: $eventId, groupId: $groupId, occurredAt: $now,
                      payload: $payload, seq: seq})
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt
