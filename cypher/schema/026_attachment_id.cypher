// Attachment ids are unique.
CREATE CONSTRAINT attachment_id IF NOT EXISTS FOR (a:Attachment) REQUIRE a.id IS UNIQUE
