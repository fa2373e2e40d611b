// Writes a change judged by domain::bot::Bot::decide: a new key digest
// (the old one stops matching at once) or the revocation.
// Params: $id, $keyPrefix, $keyHash (null: keep the key), $revokedAt
// Returns: id
MATCH (b:Bot {id: $id})
SET b.keyPrefix = $keyPrefix, b.keyHash = coalesce($keyHash, b.keyHash),
    b.revokedAt = $revokedAt
RETURN b.id AS id
