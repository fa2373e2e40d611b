// Writes a group's changed fields (the caller holds the group's lock and
// applied the patch to what it read).
// Params: $id, $name, $description, $visibility, $slowModeSeconds,
//         $searchText (its words as search indexes them)
// Returns: id, name, description, visibility, createdAt, memberCount, slowModeSeconds
MATCH (g:Group {id: $id})
SET g.name = $name,
    g.description = $description,
    g.visibility = $visibility,
    g.slowModeSeconds = $slowModeSeconds,
    g.searchText = $searchText
RETURN g.id AS id, g.name AS name, g.description AS description, g.visibility AS visibility,
       g.createdAt AS createdAt, g.memberCount AS memberCount,
       coalesce(g.slowModeSeconds, 0) AS slowModeSeconds
