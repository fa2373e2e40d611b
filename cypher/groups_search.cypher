// Group search candidates: groups whose indexed words (name and
// description) hold the query's word, by the index's score. Which match,
// and their order, is decided by the caller (domain::search).
// Params: $query (one indexed word: ASCII letters and digits only), $limit
// Returns: id, name, description, visibility, createdAt, memberCount, slowModeSeconds
CALL db.index.fulltext.queryNodes('group_search', $query, {limit: $limit}) YIELD node, score
WITH node AS g, score
RETURN g.id AS id, g.name AS name, g.description AS description, g.visibility AS visibility,
       g.createdAt AS createdAt, g.memberCount AS memberCount,
       coalesce(g.slowModeSeconds, 0) AS slowModeSeconds
ORDER BY score DESC
