// One reaction per (message, user, key): its id is the three in one string.
CREATE CONSTRAINT reaction_id IF NOT EXISTS FOR (r:Reaction) REQUIRE r.id IS UNIQUE
