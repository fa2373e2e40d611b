// A group's bots are listed by group.
CREATE INDEX bot_group IF NOT EXISTS FOR (b:Bot) ON (b.groupId)
