// Blanks the profile of a user whose account is being deleted.
// Params: $userId, $name
// Returns: id
MATCH (u:User {id: $userId})
SET u.name = $name, u.email = null, u.pictureUrl = null, u.lastSeenAt = null,
    u.presenceHidden = true
RETURN u.id AS id
