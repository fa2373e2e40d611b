// One message per (group, author, clientMessageId): idempotent sends.
CREATE CONSTRAINT message_idem_key IF NOT EXISTS FOR (m:Message) REQUIRE m.idemKey IS UNIQUE
