// The sweep of uploads: the oldest ones no sweep has kept yet.
CREATE INDEX attachment_created IF NOT EXISTS FOR (a:Attachment) ON (a.createdAt)
