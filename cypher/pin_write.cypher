// Writes a pin change: the message's pin and its group's pinned messages
// (both locked and the change checked: message_lock, pin_context).
// Params: $id, $groupId, $pinnedAt, $pinnedBy, $pinned (the group's message ids, in pin order)
// Returns: id
MATCH (m:Message {id: $id})
SET m.pinnedAt = $pinnedAt, m.pinnedBy = $pinnedBy
WITH m
MATCH (g:Group {id: $groupId})
SET g.pinned = $pinned
RETURN m.id AS id
