// Moves a deleted user's place among their threads' recent repliers to
// the ghost id.
// Params: $userId, $ghost
// Returns: moved
MATCH (p:Participation {userId: $userId})
MATCH (root:Message {id: p.rootId})
WHERE $userId IN root.threadRecent
SET root.threadRecent = [x IN root.threadRecent | CASE WHEN x = $userId THEN $ghost ELSE x END]
RETURN count(root) AS moved
