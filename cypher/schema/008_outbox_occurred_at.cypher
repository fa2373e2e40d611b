// The sweeper reads the oldest unconfirmed events first.
CREATE INDEX outbox_occurred_at IF NOT EXISTS FOR (e:OutboxEvent) ON (e.occurredAt)
