// Creates the user on first sign-in, refreshes the profile afterwards.
// Params: $id, $name, $email, $pictureUrl, $now
// Returns: id, name, email, pictureUrl, createdAt, lastSeenAt, presenceHidden
MERGE (u:User {id: $id})
ON CREATE SET u.createdAt = $now, u.lastSeenAt = null, u.presenceHidden = false
SET u.name = $name, u.email = $email, u.pictureUrl = $pictureUrl
RETURN u.id AS id, u.name AS name, u.email AS email, u.pictureUrl AS pictureUrl,
       u.createdAt AS createdAt, u.lastSeenAt AS lastSeenAt, u.presenceHidden AS presenceHidden
