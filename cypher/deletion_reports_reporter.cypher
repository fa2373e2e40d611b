// A deleted user's reports stay for the group's moderators, without the
// note, as the ghost's.
// Params: $userId, $ghost
// Returns: moved
MATCH (r:Report)
WHERE r.reporterId = $userId
SET r.reporterId = $ghost, r.note = null, r.reporterKey = $ghost + '\n' + r.messageId
RETURN count(r) AS moved
