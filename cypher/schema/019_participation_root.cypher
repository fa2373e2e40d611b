// A reply moves every participant of its thread to the new activity.
CREATE INDEX participation_root IF NOT EXISTS FOR (p:Participation) ON (p.rootId)
