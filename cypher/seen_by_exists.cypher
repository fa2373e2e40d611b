// Whether a reader lies at or before the cursor (readKey $at, userId):
// keys in [$floor, $at], the author and bots left out.
// Params: $floor, $at, $authorId, $botPrefix, $userId
// Returns: found (one row, or none)
MATCH (u:User)-[r:MEMBERSHIP]->(:Group)
WHERE r.readKey >= $floor AND r.readKey <= $at AND r.state = 'MEMBER'
  AND u.id <> $authorId AND NOT u.id STARTS WITH $botPrefix
  AND (r.readKey < $at OR u.id <= $userId)
RETURN true AS found
LIMIT 1
