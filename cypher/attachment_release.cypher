// Undoes the claims a message holds whose send failed.
// Params: $ids (attachment ids), $messageId
UNWIND $ids AS wanted
MATCH (a:Attachment {id: wanted})
WHERE a.messageId = $messageId
SET a.messageId = null
