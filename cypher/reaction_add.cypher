// Adds a reaction and writes the message's new counts (the message is
// locked and the change checked: reaction_held).
// Params: $id (message, user and key as one string), $messageId, $groupId, $userId,
//         $key, $now, $keys, $counts (the message's counts, in order of first use)
// Returns: id
MATCH (m:Message {id: $messageId})
SET m.reactionKeys = $keys, m.reactionCounts = $counts
CREATE (r:Reaction {id: $id, messageId: $messageId, groupId: $groupId, userId: $userId,
                    key: $key, createdAt: $now})
RETURN r.id AS id
