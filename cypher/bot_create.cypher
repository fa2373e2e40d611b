// Creates a bot: its user, its MEMBER membership of the group (member
// count +1) and the bot itself, holding only its key's digest. The
// creator's membership was checked in the same transaction.
// An incoming webhook's bot also holds the hook's id and its secret's digest.
// Params: $id, $userId, $groupId, $name, $keyPrefix, $keyHash, $createdBy, $now,
//         $hookId, $hookSecretHash (both null for other bots)
// Returns: id
MATCH (g:Group {id: $groupId})
CREATE (u:User {id: $userId, name: $name, email: null, pictureUrl: null, createdAt: $now,
                lastSeenAt: null, presenceHidden: false})
CREATE (u)-[:MEMBERSHIP {state: 'MEMBER', role: 'MEMBER', note: null, reason: null, mutedUntil: null, bannedUntil: null, lastPostAt: null, sendLock: 0,
                         since: $now, updatedAt: $now}]->(g)
SET g.memberCount = g.memberCount + 1
CREATE (b:Bot {id: $id, userId: $userId, groupId: $groupId, name: $name, keyPrefix: $keyPrefix,
               keyHash: $keyHash, createdBy: $createdBy, createdAt: $now, lastUsedAt: null,
               revokedAt: null, disabledReason: null, version: 0, hookId: $hookId,
               hookSecretHash: $hookSecretHash})
RETURN b.id AS id
