// The app badge: a user's unread messages and mentions summed over the
// groups they are a member of, O(1) per group.
// Params: $userId
// Returns: groups (with unread messages), messages, mentions
MATCH (:User {id: $userId})-[r:MEMBERSHIP]->(g:Group)
WHERE r.state = 'MEMBER'
WITH coalesce(g.posted, 0) - coalesce(r.readPos, 0) - size(coalesce(r.ownUnread, [])) AS unread,
     size(coalesce(r.mentionUnread, [])) AS mentions
RETURN sum(CASE WHEN unread > 0 THEN 1 ELSE 0 END) AS groups,
       coalesce(sum(unread), 0) AS messages, coalesce(sum(mentions), 0) AS mentions
