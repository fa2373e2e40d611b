// Params: $ids (list of group ids)
// Returns: id, name, description, visibility, createdAt, memberCount, slowModeSeconds
UNWIND $ids AS wanted
MATCH (g:Group {id: wanted})
RETURN g.id AS id, g.name AS name, g.description AS description, g.visibility AS visibility,
       g.createdAt AS createdAt, g.memberCount AS memberCount,
       coalesce(g.slowModeSeconds, 0) AS slowModeSeconds
