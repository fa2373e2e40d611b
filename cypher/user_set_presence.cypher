// Hides or shows a user's presence from others.
// Params: $id, $hidden
// Returns: id, name, email, pictureUrl, createdAt, lastSeenAt, presenceHidden
MATCH (u:User {id: $id})
SET u.presenceHidden = $hidden
RETURN u.id AS id, u.name AS name, u.email AS email, u.pictureUrl AS pictureUrl,
       u.createdAt AS createdAt, u.lastSeenAt AS lastSeenAt, u.presenceHidden AS presenceHidden
