// Records when a user was last seen (a minute), only if the stored time is
// at least a minute older: racing writers write once.
// Params: $id, $minute (µs since epoch), $before ($minute less a minute)
// Returns: id, or no row when nothing changed
MATCH (u:User {id: $id})
WHERE u.lastSeenAt IS NULL OR u.lastSeenAt <= $before
SET u.lastSeenAt = $minute
RETURN u.id AS id
