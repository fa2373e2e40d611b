// App badges: each user's unread messages and mentions summed over the
// groups they are a member of, O(1) per group, many users in one read.
// Params: $userIds
// Returns: userId, groups (with unread messages), messages, mentions
UNWIND $userIds AS userId
MATCH (:User {id: userId})-[r:MEMBERSHIP]->(g:Group)
WHERE r.state = 'MEMBER'
WITH userId,
     coalesce(g.posted, 0) - coalesce(r.readPos, 0) - size(coalesce(r.ownUnread, [])) AS unread,
     size(coalesce(r.mentionUnread, [])) AS mentions
RETURN userId, sum(CASE WHEN unread > 0 THEN 1 ELSE 0 END) AS groups,
       sum(unread) AS messages, sum(mentions) AS mentions
