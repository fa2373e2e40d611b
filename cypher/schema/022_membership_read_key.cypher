// seenBy: a group's members by read marker. `readKey` is the group's id,
// a colon and the marker's position in 12 digits, so one ordered property
// (a relationship index covers one) holds both.
CREATE INDEX membership_read_key IF NOT EXISTS FOR ()-[r:MEMBERSHIP]-() ON (r.readKey)
