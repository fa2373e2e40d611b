// Group search orders by the lower-cased name.
CREATE INDEX group_name_key IF NOT EXISTS FOR (g:Group) ON (g.nameKey)
