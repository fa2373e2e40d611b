// Revokes the live bot whose own membership of the group just ended
// (removed or banned, see domain::bot::fallout), run inside the membership's
// transition, so its key stops signing in with it.
// Params: $groupId, $userId, $now
// Returns: revoked
MATCH (b:Bot {groupId: $groupId, userId: $userId})
WHERE b.revokedAt IS NULL
SET b.revokedAt = $now
RETURN count(b) AS revoked
