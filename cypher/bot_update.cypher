// Writes a change checked by domain::bot::Bot::decide: a new key digest
// (the old one stops matching at once), the revocation or the enabling.
// Params: $id, $keyPrefix, $keyHash (null: keep the key), $revokedAt, $disabledReason
// Returns: id
MATCH (b:Bot {id: $id})
SET b.keyPrefix = $keyPrefix, b.keyHash = coalesce($keyHash, b.keyHash),
    b.revokedAt = $revokedAt, b.disabledReason = $disabledReason
RETURN b.id AS id
