// myThreads: a user's threads by last activity.
CREATE INDEX participation_activity IF NOT EXISTS FOR (p:Participation) ON (p.userId, p.activityAt)
