// A user's uploads (account deletion).
CREATE INDEX attachment_owner IF NOT EXISTS FOR (a:Attachment) ON (a.ownerId)
