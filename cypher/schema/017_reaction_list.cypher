// A key's reactors on a message, in list order.
CREATE INDEX reaction_list IF NOT EXISTS FOR (r:Reaction) ON (r.messageId, r.key, r.createdAt)
