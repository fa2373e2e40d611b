// Disables the enabled outgoing webhooks that a user created in a group,
// when the user lost the right to manage them (domain::bot::fallout), run
// inside the membership's transition.
// Params: $groupId, $userId, $reason
// Returns: disabled
MATCH (w:Webhook {groupId: $groupId, createdBy: $userId})
WHERE w.enabled = true
SET w.enabled = false, w.disabledReason = $reason
RETURN count(w) AS disabled
