// A user's keys on messages (checks of a change, viewerReacted).
CREATE INDEX reaction_holder IF NOT EXISTS FOR (r:Reaction) ON (r.messageId, r.userId)
