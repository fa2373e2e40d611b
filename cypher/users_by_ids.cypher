// Params: $ids (list of user ids)
// Returns: id, name, email, pictureUrl, createdAt, lastSeenAt, presenceHidden
UNWIND $ids AS wanted
MATCH (u:User {id: wanted})
RETURN u.id AS id, u.name AS name, u.email AS email, u.pictureUrl AS pictureUrl,
       u.createdAt AS createdAt, u.lastSeenAt AS lastSeenAt, u.presenceHidden AS presenceHidden
