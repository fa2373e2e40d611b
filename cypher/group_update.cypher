// Params: $id, $name (null keeps), $nameKey, $setDescription (bool),
//         $description, $visibility (null keeps)
// Returns: id, name, description, visibility, createdAt, memberCount
MATCH (g:Group {id: $id})
SET g.name = coalesce($name, g.name),
    g.nameKey = coalesce($nameKey, g.nameKey),
    g.description = CASE WHEN $setDescription THEN $description ELSE g.description END,
    g.visibility = coalesce($visibility, g.visibility)
RETURN g.id AS id, g.name AS name, g.description AS description, g.visibility AS visibility,
       g.createdAt AS createdAt, g.memberCount AS memberCount
