// Takes the lock of a user's export requests (one export a day is decided
// under it).
// Params: $userId
// Returns: version
MERGE (s:ExportSlot {userId: $userId})
ON CREATE SET s.version = 0
SET s.version = s.version + 1
RETURN s.version AS version
