// Thread summaries of top-level messages (replies are left out).
// Params: $ids
// Returns: rootId, groupId, replyCount, participantCount, recent, lastReplyId,
//          lastReplyAt, lastReplyPos, lastReplyAuthor, otherReplyPos, activityAt
MATCH (m:Message)
WHERE m.id IN $ids AND m.depth = 0
RETURN m.id AS rootId, m.groupId AS groupId, coalesce(m.threadCount, 0) AS replyCount,
       coalesce(m.threadParticipants, 1) AS participantCount,
       coalesce(m.threadRecent, [m.authorId]) AS recent, m.lastReplyId AS lastReplyId,
       m.lastReplyAt AS lastReplyAt, m.lastReplyPos AS lastReplyPos,
       m.lastReplyAuthor AS lastReplyAuthor, m.otherReplyPos AS otherReplyPos,
       coalesce(m.activityAt, m.createdAt) AS activityAt
