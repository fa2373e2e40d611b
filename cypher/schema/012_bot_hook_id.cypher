// Incoming webhooks find their bot by the hook id in their URL.
CREATE CONSTRAINT bot_hook_id IF NOT EXISTS FOR (b:Bot) REQUIRE b.hookId IS UNIQUE
