// What seenBy reads first: a message's group, position and author.
// Params: $id
// Returns: groupId, pos, authorId
MATCH (m:Message {id: $id})
RETURN m.groupId AS groupId, m.pos AS pos, m.authorId AS authorId
