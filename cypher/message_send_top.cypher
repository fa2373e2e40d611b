// Creates a top-level message and records its event, in one statement.
// Guarded on what the send was checked on (the author's membership as read,
// by its updatedAt): no row when it changed, and nothing written. Then the
// group hands out its next seq (SET on a property it reads: Neo4j takes the
// write lock before reading, so no update is lost) and the event is
// recorded with that seq beside its payload. The group's counter gives the
// message its position, which moves the author's read marker and the
// mentioned members' (domain::reading::Marker::posted and ::mentioned).
// Params: $slowModeSeconds (the group's, as the send was checked on), $slowGuard (slow
//         mode applies to the author: $lastPostAt must be theirs still), $lastPostAt
//         (µs, or -1 for none), $attachments (its files as JSON, or null), $searchText (its words as search
//         indexes them: domain::search::message_index), $id, $groupId, $authorId, $membershipUpdatedAt, $body, $clientMessageId,
//         $idemKey, $now, $eventId, $payload (the event as JSON, seq left to the column),
//         $mentions (the mentioned members), $participationId (the author's, in the
//         thread this message starts)
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch),
//          mentions, reactionKeys, reactionCounts (in order of first use),
//          pinnedAt, pinnedBy, attachments (JSON, or null for none), memberCount (the group's, recorded beside the event's
//          payload too: fan-out sizes its shards by it)
MATCH (u:User {id: $authorId})-[mb:MEMBERSHIP]->(g:Group {id: $groupId})
// The membership's write lock before the checks, so slow mode reads the
// last post of a send of the same member that committed first.
SET mb.sendLock = coalesce(mb.sendLock, 0) + 1
WITH u, mb, g
WHERE mb.updatedAt = $membershipUpdatedAt
  AND coalesce(g.slowModeSeconds, 0) = $slowModeSeconds
  AND (NOT $slowGuard OR coalesce(mb.lastPostAt, -1) = $lastPostAt)
SET g.nextSeq = g.nextSeq + 1, g.posted = coalesce(g.posted, 0) + 1, mb.lastPostAt = $now
WITH u, mb, g, g.nextSeq - 1 AS seq, g.posted AS pos
// Caught up, or 1,000 own messages set aside (domain::reading::MAX_SET_ASIDE):
// the author has read up to their post.
WITH u, mb, g, seq, pos,
     coalesce(mb.readPos, 0) + 1 = pos OR size(coalesce(mb.ownUnread, [])) >= 1000 AS caughtUp
SET mb.ownUnread = CASE WHEN caughtUp THEN [] ELSE coalesce(mb.ownUnread, []) + pos END,
    mb.mentionUnread = CASE WHEN caughtUp THEN [x IN coalesce(mb.mentionUnread, []) WHERE x > pos]
                            ELSE mb.mentionUnread END,
    mb.readPos = CASE WHEN caughtUp THEN pos ELSE mb.readPos END
// The marker as one sortable key (seenBy).
SET mb.readKey = CASE WHEN mb.readPos IS NULL THEN mb.readKey
                      ELSE g.id + ':' + right('000000000000' + toString(mb.readPos), 12) END
WITH u, g, seq, pos
OPTIONAL MATCH (named:User)-[r:MEMBERSHIP]->(g)
WHERE named.id IN $mentions AND named.id <> $authorId AND r.state = 'MEMBER'
SET r.mentionUnread = coalesce(r.mentionUnread, []) + pos
WITH u, g, seq, pos, count(r) AS mentioned
CREATE (m:Message {id: $id, groupId: $groupId, authorId: $authorId, body: $body,
                   parentId: null, parentKey: $groupId, rootId: $id, depth: 0,
                   seq: seq, pos: pos, mentions: $mentions, replyCount: 0, nextSeq: 1, version: 0,
                   reactionKeys: [], reactionCounts: [], pinnedAt: null, pinnedBy: null,
                   attachments: $attachments, searchText: $searchText,
                   threadCount: 0, threadParticipants: 1, threadRecent: [$authorId],
                   lastReplyId: null, lastReplyAt: null, lastReplyPos: null,
                   lastReplyAuthor: null, otherReplyPos: null, activityAt: $now,
                   clientMessageId: $clientMessageId, idemKey: $idemKey,
                   createdAt: $now, editedAt: null, deletedAt: null})
CREATE (u)-[:POSTED]->(m)
// The author takes part in the thread the message starts (myThreads).
CREATE (:Participation {id: $participationId, userId: $authorId, rootId: $id,
                        groupId: $groupId, activityAt: $now})
CREATE (m)-[:IN]->(g)
CREATE (:OutboxEvent {id: $eventId, groupId: $groupId, occurredAt: $now,
                      payload: $payload, seq: seq, memberCount: g.memberCount, published: false})
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt,
       coalesce(m.mentions, []) AS mentions,
       coalesce(m.reactionKeys, []) AS reactionKeys, coalesce(m.reactionCounts, []) AS reactionCounts,
       m.pinnedAt AS pinnedAt, m.pinnedBy AS pinnedBy,
       m.attachments AS attachments, g.memberCount AS memberCount
