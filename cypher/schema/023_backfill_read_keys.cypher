// Data written before seenBy: each member's marker gets its readKey (only
// memberships without one are touched, so running it again changes nothing).
MATCH (:User)-[m:MEMBERSHIP]->(g:Group)
WHERE m.readKey IS NULL AND m.state = 'MEMBER' AND m.readPos IS NOT NULL
SET m.readKey = g.id + ':' + right('000000000000' + toString(m.readPos), 12)
