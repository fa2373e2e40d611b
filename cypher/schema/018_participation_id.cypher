// One participation per (user, thread root): its id is the two in one string.
CREATE CONSTRAINT participation_id IF NOT EXISTS FOR (p:Participation) REQUIRE p.id IS UNIQUE
