// A user's messages (account deletion and data export).
CREATE INDEX message_author IF NOT EXISTS FOR (m:Message) ON (m.authorId)
