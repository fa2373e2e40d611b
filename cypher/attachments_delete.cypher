// Forgets uploads (their bytes are deleted by the caller).
// Params: $ids (attachment ids)
UNWIND $ids AS wanted
MATCH (a:Attachment {id: wanted})
DELETE a
