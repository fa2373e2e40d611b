// The webhooks of a group, disabled ones too, oldest first.
// Params: $groupId
// Returns: id, groupId, url, events, enabled, disabledReason, createdBy, createdAt, failures,
//          secret
MATCH (w:Webhook {groupId: $groupId})
RETURN w.id AS id, w.groupId AS groupId, w.url AS url, w.events AS events,
       w.enabled AS enabled, w.disabledReason AS disabledReason, w.createdBy AS createdBy,
       w.createdAt AS createdAt, w.failures AS failures, w.secret AS secret
ORDER BY w.createdAt, w.id
