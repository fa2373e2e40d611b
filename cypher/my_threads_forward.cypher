// The threads a user took part in (in one group, or all), forward from the
// cursor (activityAt, rootId).
// Params: $userId, $groupId (null = all), $activityAt and $rootId (null = from the
//         start), $limit
// Returns: rootId, activityAt
MATCH (p:Participation {userId: $userId})
WHERE ($groupId IS NULL OR p.groupId = $groupId)
  AND ($activityAt IS NULL OR p.activityAt > $activityAt
       OR (p.activityAt = $activityAt AND p.rootId > $rootId))
RETURN p.rootId AS rootId, p.activityAt AS activityAt
ORDER BY p.activityAt, p.rootId
LIMIT $limit
