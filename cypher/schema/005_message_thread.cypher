// Keyset pagination of threads: children by (parentKey, seq).
CREATE INDEX message_thread IF NOT EXISTS FOR (m:Message) ON (m.parentKey, m.seq)
