// Whether a reader of a message lies before a cursor (readPos, userId):
// keys <= it ($upTo true) or >= it (false).
// Params: $messageId, $readPos, $userId, $upTo
// Returns: found (one row, or none)
MATCH (m:Message {id: $messageId})
WITH m.groupId AS groupId, m.pos AS pos, m.authorId AS authorId
MATCH (u:User)-[r:MEMBERSHIP]->(:Group)
WHERE r.groupId = groupId AND r.readPos >= pos AND r.state = 'MEMBER' AND u.id <> authorId
  AND (($upTo AND (r.readPos < $readPos OR (r.readPos = $readPos AND u.id <= $userId)))
    OR (NOT $upTo AND (r.readPos > $readPos OR (r.readPos = $readPos AND u.id >= $userId))))
RETURN true AS found
LIMIT 1
