// seenBy: a group's memberships (the relationship carries its group's id
// for this index, one property, as every Bolt server here indexes
// relationships).
CREATE INDEX membership_group IF NOT EXISTS FOR ()-[r:MEMBERSHIP]-() ON (r.groupId)
