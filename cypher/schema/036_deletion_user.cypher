// One deletion under way per user.
CREATE CONSTRAINT deletion_user IF NOT EXISTS FOR (d:Deletion) REQUIRE d.userId IS UNIQUE
