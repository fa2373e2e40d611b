// Keys are looked up by digest, and no two bots hold one key.
CREATE CONSTRAINT bot_key_hash IF NOT EXISTS FOR (b:Bot) REQUIRE b.keyHash IS UNIQUE
