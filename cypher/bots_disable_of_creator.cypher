// Disables the live bots (incoming hooks included) that a user created in
// a group, when the user lost the right to manage them
// (domain::bot::fallout), run inside the membership's transition.
// Params: $groupId, $userId, $reason
// Returns: disabled
MATCH (b:Bot {groupId: $groupId, createdBy: $userId})
WHERE b.revokedAt IS NULL AND b.disabledReason IS NULL
SET b.disabledReason = $reason
RETURN count(b) AS disabled
