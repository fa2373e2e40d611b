// Read states of (group, user) pairs: the group's counter against each
// marker, O(1) per pair.
// Params: $keys (a list of [groupId, userId])
// Returns: groupId, userId, level, lastReadAt, unread, mentions, readPos (pairs with
//          no membership left out)
UNWIND $keys AS key
MATCH (:User {id: key[1]})-[r:MEMBERSHIP]->(g:Group {id: key[0]})
RETURN key[0] AS groupId, key[1] AS userId,
       coalesce(r.level, 'ALL') AS level, r.lastReadAt AS lastReadAt,
       coalesce(g.posted, 0) - coalesce(r.readPos, 0) - size(coalesce(r.ownUnread, [])) AS unread,
       size(coalesce(r.mentionUnread, [])) AS mentions,
       coalesce(r.readPos, 0) AS readPos
