// Data written before myThreads: one Participation per person the summary
// backfill (024) found in a thread, then the mark it left is cleared.
MATCH (r:Message)
WHERE r.participantsToBackfill IS NOT NULL
UNWIND r.participantsToBackfill AS userId
MERGE (p:Participation {id: userId + '\n' + r.id})
ON CREATE SET p.userId = userId, p.rootId = r.id, p.groupId = r.groupId,
              p.activityAt = r.activityAt
WITH DISTINCT r
REMOVE r.participantsToBackfill
