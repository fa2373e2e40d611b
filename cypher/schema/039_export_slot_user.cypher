// One export slot (the lock of a user's export requests) per user.
CREATE CONSTRAINT export_slot_user IF NOT EXISTS FOR (s:ExportSlot) REQUIRE s.userId IS UNIQUE
