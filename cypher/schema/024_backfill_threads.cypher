// Data written before thread summaries: each top-level message without one
// gets its summary from its descendants, once (the same fields each reply
// keeps up to date from then on, as domain::thread::Thread::replied).
MATCH (r:Message)
WHERE r.depth = 0 AND r.threadCount IS NULL
OPTIONAL MATCH (d:Message {rootId: r.id})
WHERE d.depth > 0
WITH r, d
ORDER BY d.pos
WITH r, collect(d) AS replies
WITH r, replies, CASE WHEN size(replies) = 0 THEN null ELSE replies[size(replies) - 1] END AS last
WITH r, replies, last,
     [x IN replies WHERE x.authorId <> last.authorId | x.pos] AS others,
     reduce(seen = [], x IN reverse(replies) |
            CASE WHEN x.authorId IN seen THEN seen ELSE seen + x.authorId END) AS recent
WITH r, replies, last, others,
     CASE WHEN r.authorId IN recent THEN recent ELSE recent + r.authorId END AS people
SET r.threadCount = size(replies), r.threadParticipants = size(people),
    r.threadRecent = people[0..20], r.lastReplyId = last.id, r.lastReplyAt = last.createdAt,
    r.lastReplyPos = last.pos, r.lastReplyAuthor = last.authorId,
    r.otherReplyPos = CASE WHEN size(others) = 0 THEN null ELSE others[size(others) - 1] END,
    r.activityAt = coalesce(last.createdAt, r.createdAt),
    r.participantsToBackfill = people
