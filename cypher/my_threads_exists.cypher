// Whether a thread of the user lies on the far side of a cursor: $upTo
// true asks for keys <= (activityAt, rootId), false for keys >= it.
// Params: $userId, $groupId (null = all), $activityAt, $rootId, $upTo
// Returns: found (one row, or none)
MATCH (p:Participation {userId: $userId})
WHERE ($groupId IS NULL OR p.groupId = $groupId)
  AND (($upTo AND (p.activityAt < $activityAt OR (p.activityAt = $activityAt AND p.rootId <= $rootId)))
    OR (NOT $upTo AND (p.activityAt > $activityAt OR (p.activityAt = $activityAt AND p.rootId >= $rootId))))
RETURN true AS found
LIMIT 1
