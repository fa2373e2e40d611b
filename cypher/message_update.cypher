// Writes an edited or deleted message and its mentions, and keeps the
// markers of members it stops or starts mentioning in step
// (domain::reading::Marker::unmentioned and ::mentioned).
// Params: $id, $authorId (a deleted account's messages move to its ghost id), $body, $attachments (its files as JSON, or null: none once deleted),
//         $searchText (its words as search indexes them, empty once deleted), $editedAt, $deletedAt, $pinnedAt, $pinnedBy, $unpin (it was pinned
//         and is deleted), $mentions (members named now),
//         $removed, $added (of the mentions, members no longer and newly named)
// Returns: id, groupId, authorId, body, parentId, rootId, depth, seq, replyCount,
//          clientMessageId, createdAt, editedAt, deletedAt (times in µs since epoch),
//          mentions, reactionKeys, reactionCounts (in order of first use),
//          pinnedAt, pinnedBy, attachments (JSON, or null for none)
MATCH (m:Message {id: $id})
SET m.authorId = $authorId, m.body = $body, m.editedAt = $editedAt, m.deletedAt = $deletedAt, m.mentions = $mentions,
    m.pinnedAt = $pinnedAt, m.pinnedBy = $pinnedBy, m.attachments = $attachments,
    m.searchText = $searchText
WITH m
// A deleted message leaves its group's pins ($unpin).
OPTIONAL MATCH (pins:Group {id: m.groupId})
WHERE $unpin
SET pins.pinned = [x IN coalesce(pins.pinned, []) WHERE x <> m.id]
WITH m, count(pins) AS unpinned
OPTIONAL MATCH (gone:User)-[r:MEMBERSHIP]->(:Group {id: m.groupId})
WHERE gone.id IN $removed
SET r.mentionUnread = [x IN coalesce(r.mentionUnread, []) WHERE x <> m.pos]
WITH m, count(r) AS removed
OPTIONAL MATCH (named:User)-[r:MEMBERSHIP]->(:Group {id: m.groupId})
WHERE named.id IN $added AND named.id <> m.authorId AND r.state = 'MEMBER'
  AND coalesce(r.readPos, 0) < m.pos AND NOT m.pos IN coalesce(r.mentionUnread, [])
SET r.mentionUnread = coalesce(r.mentionUnread, []) + m.pos
WITH m, count(r) AS added
RETURN m.id AS id, m.groupId AS groupId, m.authorId AS authorId, m.body AS body,
       m.parentId AS parentId, m.rootId AS rootId, m.depth AS depth, m.seq AS seq,
       m.replyCount AS replyCount, m.clientMessageId AS clientMessageId,
       m.createdAt AS createdAt, m.editedAt AS editedAt, m.deletedAt AS deletedAt,
       coalesce(m.mentions, []) AS mentions,
       coalesce(m.reactionKeys, []) AS reactionKeys, coalesce(m.reactionCounts, []) AS reactionCounts,
       m.pinnedAt AS pinnedAt, m.pinnedBy AS pinnedBy,
       m.attachments AS attachments
