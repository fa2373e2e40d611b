// Sets a member's notification level.
// Params: $groupId, $userId, $level
// Returns: level, lastReadAt, unread, mentions, readPos, or no row when the user is not
//          a member
MATCH (:User {id: $userId})-[r:MEMBERSHIP]->(g:Group {id: $groupId})
WHERE r.state = 'MEMBER'
SET r.level = $level
RETURN coalesce(r.level, 'ALL') AS level, r.lastReadAt AS lastReadAt,
       coalesce(g.posted, 0) - coalesce(r.readPos, 0) - size(coalesce(r.ownUnread, [])) AS unread,
       size(coalesce(r.mentionUnread, [])) AS mentions,
       coalesce(r.readPos, 0) AS readPos
