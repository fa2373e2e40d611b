// Registers an outgoing webhook of the group, with no deliveries yet. The
// signing secret is kept as is: HMAC signing needs it (API keys, only
// verified, are kept as digests).
// Params: $id, $groupId, $url, $events, $createdBy, $createdAt, $secret
// Returns: id
MATCH (g:Group {id: $groupId})
CREATE (w:Webhook {id: $id, groupId: $groupId, url: $url, events: $events, enabled: true,
                   disabledReason: null, createdBy: $createdBy, createdAt: $createdAt,
                   failures: 0, secret: $secret, attempts: 0, deliveries: '[]', version: 0})
RETURN w.id AS id
