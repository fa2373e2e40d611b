// Which of the given users are members of the group (the mentions an edit
// keeps).
// Params: $groupId, $ids
// Returns: members
OPTIONAL MATCH (g:Group {id: $groupId})
RETURN [x IN $ids WHERE EXISTS {
          MATCH (:User {id: x})-[r:MEMBERSHIP]->(g) WHERE r.state = 'MEMBER' }] AS members
