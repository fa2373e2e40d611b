// How many webhooks a group has, read under the group's lock before a new
// one is checked (domain::webhook::admit).
// Params: $groupId
// Returns: count
MATCH (w:Webhook {groupId: $groupId})
RETURN count(w) AS count
