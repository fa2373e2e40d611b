// A group's reports are listed by group.
CREATE INDEX report_group IF NOT EXISTS FOR (r:Report) ON (r.groupId)
