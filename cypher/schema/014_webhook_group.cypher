// Each event reads its group's webhooks.
CREATE INDEX webhook_group IF NOT EXISTS FOR (w:Webhook) ON (w.groupId)
