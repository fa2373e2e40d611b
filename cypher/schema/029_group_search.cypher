// Group search: each group's name and description as
// domain::search::group_index writes them (folded, ASCII letters and
// digits, prefixes).
CREATE FULLTEXT INDEX group_search IF NOT EXISTS FOR (g:Group) ON EACH [g.searchText]
