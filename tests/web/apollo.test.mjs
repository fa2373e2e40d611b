// Apollo Client 3 as a web app sets it up (docs/clients.md, "Use it from a web
// app"): HTTP with automatic persisted queries (hashes over GET), graphql-ws
// for subscriptions, relayStylePagination. Any cache warning fails it.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { ApolloClient, HttpLink, InMemoryCache, gql as q, split } from "@apollo/client/core/index.js";
import { loadDevMessages, loadErrorMessages } from "@apollo/client/dev/index.js";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries/index.js";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions/index.js";
import { getMainDefinition, relayStylePagination } from "@apollo/client/utilities/index.js";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { createGroup, gql, post, SERVER, token } from "./helpers.mjs";

loadDevMessages();
loadErrorMessages();
const warnings = [];
for (const level of ["warn", "error"]) {
  const original = console[level];
  console[level] = (...args) => {
    warnings.push(args.map(String).join(" "));
    original(...args);
  };
}

const requests = [];
function recordingFetch(url, init) {
  requests.push({ method: init?.method ?? "GET", url: String(url), body: init?.body });
  return fetch(url, init);
}

let client;
let wsClient;
before(() => {
  const authorization = `Bearer ${token("alice")}`;
  wsClient = createClient({
    url: SERVER.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
  });
  const http = createPersistedQueryLink({
    sha256: (text) => createHash("sha256").update(text).digest("hex"),
    useGETForHashedQueries: true,
  }).concat(new HttpLink({ uri: `${SERVER}/graphql`, headers: { authorization }, fetch: recordingFetch }));
  const link = split(
    ({ query }) => {
      const def = getMainDefinition(query);
      return def.kind === "OperationDefinition" && def.operation === "subscription";
    },
    new GraphQLWsLink(wsClient),
    http,
  );
  const cache = new InMemoryCache({
    typePolicies: {
      Group: { fields: { messages: relayStylePagination(), members: relayStylePagination() } },
      // A message's reaction list is replaced whole by each event; a
      // thread summary (no id of its own) merges into its root.
      Message: { fields: { reactions: { merge: false } } },
      ThreadSummary: { merge: true },
      Query: { fields: { myGroups: relayStylePagination() } },
    },
  });
  client = new ApolloClient({ link, cache });
});
after(async () => {
  client.stop();
  await wsClient.dispose();
});

test("the warning detector hears Apollo when a selection leaves the ids out", async () => {
  const group = await createGroup("alice", "No ids");
  const a = q`query NoIdA($g: ID!) { group(id: $g) { id viewerMembership { state } } }`;
  const b = q`query NoIdB($g: ID!) { group(id: $g) { id viewerMembership { role } } }`;
  await client.query({ query: a, variables: { g: group }, fetchPolicy: "network-only" });
  await client.query({ query: b, variables: { g: group }, fetchPolicy: "network-only" });
  assert.ok(warnings.some((w) => w.includes("Cache data may be lost")), JSON.stringify(warnings));
  warnings.length = 0;
  client.cache.reset();
});

test("two selections of viewerMembership merge in the cache without a warning", async () => {
  const group = await createGroup("alice", "Apollo club");
  const a = q`query A($g: ID!) { group(id: $g) { id name viewerMembership { id state } } }`;
  const b = q`query B($g: ID!) { group(id: $g) { id viewerMembership { id role since } } }`;
  await client.query({ query: a, variables: { g: group }, fetchPolicy: "network-only" });
  await client.query({ query: b, variables: { g: group }, fetchPolicy: "network-only" });
  const merged = client.readQuery({ query: a, variables: { g: group } });
  assert.equal(merged.group.viewerMembership.state, "MEMBER");
  assert.deepEqual(warnings, []);
});

test("two subscriptions with different selections share normalized events without a warning", async () => {
  const group = await createGroup("alice", "Live club");
  const s1 = q`subscription S1($g: ID!) { groupEvents(groupId: $g) { id type message { id body } } }`;
  const s2 = q`subscription S2($g: ID!) { groupEvents(groupId: $g) { id type occurredAt message { id author { id name } } membership { id state } } }`;
  const seen = [[], []];
  const subscriptions = [s1, s2].map((query, i) =>
    client.subscribe({ query, variables: { g: group } }).subscribe({
      next: ({ data }) => seen[i].push(data.groupEvents),
      error: (err) => seen[i].push({ error: String(err) }),
    }),
  );
  for (let attempt = 0; attempt < 40 && seen.some((s) => s.length === 0); attempt++) {
    await post("alice", group, `hello ${attempt}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  await new Promise((ok) => setTimeout(ok, 300));
  subscriptions.forEach((s) => s.unsubscribe());
  assert.ok(seen[0].length > 0 && seen[1].length > 0, JSON.stringify(seen));
  const last = seen[1].at(-1);
  assert.ok(seen[0].some((e) => e.id === last.id), "both hear the same event ids");
  assert.deepEqual(warnings, []);
});

test("reaction, pin and reply events update the cached message and its thread with no request", async () => {
  const group = await createGroup("alice", "Reacting club");
  const message = await post("alice", group, "lunch?");
  const read = q`query Cached($m: ID!) { node(id: $m) { id ... on Message { pinnedAt
    reactions { key count viewerReacted } thread { replyCount participantCount lastReplyAt } } } }`;
  await client.query({ query: read, variables: { m: message }, fetchPolicy: "network-only" });
  const live = q`subscription Reacting($g: ID!) { groupEvents(groupId: $g) { id type
    reaction { id key } message { id pinnedAt reactions { key count viewerReacted }
      root { id thread { replyCount lastReplyAt } } } } }`;
  const heard = [];
  const subscription = client.subscribe({ query: live, variables: { g: group } }).subscribe({
    next: ({ data }) => heard.push(data.groupEvents),
    error: (err) => heard.push({ error: String(err) }),
  });
  await new Promise((ok) => setTimeout(ok, 300));
  const sent = requests.length;
  const cached = () => client.readQuery({ query: read, variables: { m: message } }).node;
  const until = async (type, count = 1) => {
    for (let i = 0; i < 50 && heard.filter((e) => e.type === type).length < count; i++) {
      await new Promise((ok) => setTimeout(ok, 100));
    }
    assert.ok(heard.filter((e) => e.type === type).length >= count, `${type}: ${JSON.stringify(heard)}`);
  };
  const add = "mutation($m: ID!, $k: String!) { addReaction(messageId: $m, key: $k) { id } }";
  await gql("alice", add, { m: message, k: "🍕" });
  await until("REACTION_ADDED");
  assert.deepEqual(
    cached().reactions.map(({ key, count, viewerReacted }) => ({ key, count, viewerReacted })),
    [{ key: "🍕", count: 1, viewerReacted: true }],
  );
  const remove = "mutation($m: ID!, $k: String!) { removeReaction(messageId: $m, key: $k) { id } }";
  await gql("alice", remove, { m: message, k: "🍕" });
  await until("REACTION_REMOVED");
  assert.deepEqual(cached().reactions, []);
  await gql("alice", "mutation($m: ID!) { pinMessage(id: $m) { id } }", { m: message });
  await until("MESSAGE_PINNED");
  assert.ok(cached().pinnedAt, "the pin reached the cache");
  const reply = "mutation($p: ID!) { replyToMessage(input: {parentId: $p, body: \"yes\"}) { id } }";
  await gql("alice", reply, { p: message });
  await until("MESSAGE_POSTED");
  assert.equal(cached().thread.replyCount, 1, "the root's summary came with the reply's event");
  assert.equal(cached().thread.participantCount, 1, "fields the event did not select are kept");
  subscription.unsubscribe();
  assert.equal(requests.length, sent, "the cache changed from the events alone");
  assert.deepEqual(warnings, []);
});

test("relayStylePagination merges pages; hashes go over GET once registered", async () => {
  const group = await createGroup("alice", "Paged club");
  for (let n = 1; n <= 5; n++) await post("alice", group, `message ${n}`);
  const page = q`query Page($g: ID!, $after: String) { group(id: $g) { id messages(first: 2, after: $after) {
    edges { cursor node { id body } } pageInfo { hasNextPage endCursor } } } }`;
  const watch = client.watchQuery({ query: page, variables: { g: group } });
  const first = await watch.result();
  assert.equal(first.data.group.messages.edges.length, 2);
  const endCursor = first.data.group.messages.pageInfo.endCursor;
  await watch.fetchMore({ variables: { after: endCursor } });
  const merged = watch.getCurrentResult().data.group.messages;
  assert.deepEqual(merged.edges.map((e) => e.node.body), ["message 1", "message 2", "message 3", "message 4"]);
  assert.equal(merged.pageInfo.hasNextPage, true);

  // The persisted-query protocol: a hash alone by GET, a miss, the full
  // document by POST, then the hash alone by GET answered with data.
  const hashedGets = requests.filter((r) => r.method === "GET" && r.url.includes("persistedQuery") && !r.url.includes("query="));
  const registrations = requests.filter((r) => r.method === "POST" && r.body?.includes("persistedQuery") && r.body.includes("\"query\""));
  assert.ok(registrations.length >= 1, "each new document is registered once");
  await client.query({ query: page, variables: { g: group }, fetchPolicy: "network-only" });
  const after = requests.filter((r) => r.method === "GET" && r.url.includes("persistedQuery") && !r.url.includes("query="));
  assert.ok(after.length > hashedGets.length, "a known hash is sent alone over GET");
  assert.equal(requests.at(-1).method, "GET", "and answered without a retry");
  assert.deepEqual(warnings, []);
});

test("the exported SDL is the introspected schema", async () => {
  const { buildClientSchema, buildSchema, getIntrospectionQuery, printSchema } = await import("graphql");
  const { readFileSync } = await import("node:fs");
  const introspection = await gql("alice", getIntrospectionQuery({ specifiedByUrl: true, descriptions: true }));
  const live = printSchema(buildClientSchema(introspection.data));
  const sdl = readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8");
  assert.equal(printSchema(buildSchema(sdl)), live);
});
