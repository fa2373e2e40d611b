// myThreads(groupId:): a user's threads in one group by last activity.
CREATE INDEX participation_group_activity IF NOT EXISTS
FOR (p:Participation) ON (p.userId, p.groupId, p.activityAt)
