// Hands out the parent message's next reply seq and counts the reply (run
// after message_lock took the parent's write lock).
// Params: $parentId
// Returns: seq
MATCH (p:Message {id: $parentId})
SET p.nextSeq = p.nextSeq + 1, p.replyCount = p.replyCount + 1
RETURN p.nextSeq - 1 AS seq
