// Message search: each message's words as domain::search::message_index
// writes them (folded, ASCII letters and digits, prefixes, its group).
CREATE FULLTEXT INDEX message_search IF NOT EXISTS FOR (m:Message) ON EACH [m.searchText]
