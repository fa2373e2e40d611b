// Bot ids are unique.
CREATE CONSTRAINT bot_id IF NOT EXISTS FOR (b:Bot) REQUIRE b.id IS UNIQUE
