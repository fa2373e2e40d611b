// Search candidates: messages whose indexed words hold the query's word,
// in the index's order (best score first), kept to the scope, at most
// $limit. The procedure is called without its own limit, so messages of
// other groups never take the scope's places. Which match, and their
// order, is decided by the caller (domain::search).
// Params: $query (one indexed word: ASCII letters and digits only),
//         $limit, $groupIds, $authorId, $since, $until (µs since epoch, or null)
// Returns: id, body, createdAt (µs since epoch)
CALL db.index.fulltext.queryNodes('message_search', $query) YIELD node
WITH node AS m
WHERE m.groupId IN $groupIds AND m.deletedAt IS NULL
  AND ($authorId IS NULL OR m.authorId = $authorId)
  AND ($since IS NULL OR m.createdAt >= $since)
  AND ($until IS NULL OR m.createdAt <= $until)
RETURN m.id AS id, m.body AS body, m.createdAt AS createdAt
LIMIT $limit
