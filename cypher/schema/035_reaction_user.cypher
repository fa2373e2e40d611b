// A user's reactions (account deletion and data export).
CREATE INDEX reaction_user IF NOT EXISTS FOR (r:Reaction) ON (r.userId)
