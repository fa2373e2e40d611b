// Removes a reaction and writes the message's new counts (the message is
// locked and the change checked: reaction_held).
// Params: $id (message, user and key as one string), $messageId, $keys, $counts
// Returns: createdAt (when the removed reaction was added)
MATCH (m:Message {id: $messageId})
SET m.reactionKeys = $keys, m.reactionCounts = $counts
WITH m
MATCH (r:Reaction {id: $id})
WITH r, r.createdAt AS createdAt
DELETE r
RETURN createdAt
