// A group's moderation log is read by group.
CREATE INDEX moderation_entry_group IF NOT EXISTS FOR (e:ModerationEntry) ON (e.groupId)
