// Groups whose lower-cased name contains $query, forward from the cursor.
// Params: $query, $name and $id (the cursor key, null = from the start), $limit
// Returns: id, name, description, visibility, createdAt, memberCount, nameKey
MATCH (g:Group)
WHERE g.nameKey CONTAINS $query AND ($name IS NULL OR g.nameKey > $name OR (g.nameKey = $name AND g.id > $id))
RETURN g.id AS id, g.name AS name, g.description AS description, g.visibility AS visibility,
       g.createdAt AS createdAt, g.memberCount AS memberCount, g.nameKey AS nameKey
ORDER BY g.nameKey, g.id
LIMIT $limit
