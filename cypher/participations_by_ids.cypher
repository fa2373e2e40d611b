// Which threads a user took part in, by participation ids (user and root).
// Params: $ids
// Returns: rootId
MATCH (p:Participation)
WHERE p.id IN $ids
RETURN p.rootId AS rootId
