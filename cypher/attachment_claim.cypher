// Claims every named upload of the owner for a message, or none. Each is
// locked first (a SET on a property it then reads: Neo4j takes the write
// lock before reading), so two sends naming one upload cannot both see it
// free: the second reads the first one's claim. A claim the message already
// holds counts as free, so a run again after a lost answer claims the same.
// Params: $ids (attachment ids), $ownerId, $messageId
// Returns: claimed (whether all were free and are now the message's)
UNWIND $ids AS wanted
MATCH (a:Attachment {id: wanted})
WHERE a.ownerId = $ownerId
SET a.version = a.version + 1
WITH collect(a) AS named
WITH named, [a IN named WHERE a.messageId IS NULL OR a.messageId = $messageId] AS free
FOREACH (a IN CASE WHEN size(free) = size($ids) THEN free ELSE [] END |
  SET a.messageId = $messageId)
RETURN size(free) = size($ids) AS claimed
