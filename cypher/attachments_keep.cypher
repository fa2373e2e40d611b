// Marks uploads whose message exists: sweeps skip them from now on.
// Params: $ids (attachment ids)
UNWIND $ids AS wanted
MATCH (a:Attachment {id: wanted})
SET a.kept = true
