// Moves a member's read marker to a message of the group, never backward
// (domain::reading::Marker::read_to): what it set aside at or before the
// message no longer counts. The counts are the group's counter against the
// marker: O(1) whatever the group's size.
// Params: $groupId, $userId, $upTo (a message id)
// Returns: messageGroup (the message's group), member (whether the user is
//          one, nothing moved if not), level, lastReadAt, unread, mentions, readPos,
//          no row when the message does not exist
MATCH (msg:Message {id: $upTo})
OPTIONAL MATCH (:User {id: $userId})-[r:MEMBERSHIP]->(g:Group {id: $groupId})
WHERE msg.groupId = $groupId AND r.state = 'MEMBER'
SET r.readPos = CASE WHEN coalesce(r.readPos, 0) < coalesce(msg.pos, 0)
                     THEN msg.pos ELSE r.readPos END,
    r.ownUnread = [x IN coalesce(r.ownUnread, []) WHERE x > coalesce(msg.pos, 0)],
    r.mentionUnread = [x IN coalesce(r.mentionUnread, []) WHERE x > coalesce(msg.pos, 0)],
    r.lastReadAt = CASE WHEN r.lastReadAt IS NULL OR r.lastReadAt < msg.createdAt
                        THEN msg.createdAt ELSE r.lastReadAt END
// The marker as one sortable key (seenBy).
SET r.readKey = g.id + ':' + right('000000000000' + toString(r.readPos), 12)
WITH msg, r, g
RETURN msg.groupId AS messageGroup, r IS NOT NULL AS member,
       coalesce(r.level, 'ALL') AS level, r.lastReadAt AS lastReadAt,
       coalesce(g.posted, 0) - coalesce(r.readPos, 0) - size(coalesce(r.ownUnread, [])) AS unread,
       size(coalesce(r.mentionUnread, [])) AS mentions,
       coalesce(r.readPos, 0) AS readPos
