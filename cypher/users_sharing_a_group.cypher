// Which of the given users share a group with the viewer, both MEMBERs.
// Params: $viewerId, $userIds
// Returns: userId (each at most once)
MATCH (:User {id: $viewerId})-[a:MEMBERSHIP]->(g:Group)<-[b:MEMBERSHIP]-(u:User)
WHERE a.state = 'MEMBER' AND b.state = 'MEMBER' AND u.id IN $userIds
RETURN DISTINCT u.id AS userId
