// Creates a group and its owner's MEMBER/OWNER membership.
// Params: $id, $name, $description, $visibility, $ownerId, $now,
//         $searchText (its name and description as search indexes them)
// Returns: id, name, description, visibility, createdAt, memberCount, slowModeSeconds
MATCH (u:User {id: $ownerId})
CREATE (g:Group {id: $id, name: $name, description: $description, searchText: $searchText,
                 visibility: $visibility, createdAt: $now, memberCount: 1, slowModeSeconds: 0, nextSeq: 1, posted: 0, version: 0,
                 pinned: []})
CREATE (u)-[:MEMBERSHIP {state: 'MEMBER', role: 'OWNER',
                         note: null, reason: null, mutedUntil: null, bannedUntil: null, lastPostAt: null, sendLock: 0,
                         since: $now, updatedAt: $now, readPos: 0, readKey: $id + ':000000000000',
                         lastReadAt: null,
                         level: 'ALL', ownUnread: [], mentionUnread: []}]->(g)
RETURN g.id AS id, g.name AS name, g.description AS description, g.visibility AS visibility,
       g.createdAt AS createdAt, g.memberCount AS memberCount,
       coalesce(g.slowModeSeconds, 0) AS slowModeSeconds
