// Two browsers on a chat page of another origin: each holds a
// graphql-transport-ws socket, sees the other online (User.presence) and
// sees them typing (setTyping, a TYPING event), as docs/clients.md shows.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { browser, createGroup, gql, screenshot, SERVER, token } from "./helpers.mjs";

let chrome;
let other;
let origin;
before(async () => {
  chrome = await browser();
  // The page reads who it is and where from its query string.
  const html = `<!doctype html><title>chat</title><p id="typing"></p><script>
    const params = new URLSearchParams(location.search);
    const server = params.get("server"), bearer = "Bearer " + params.get("token"), group = params.get("group");
    window.gql = (query, variables) => fetch(server + "/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: bearer },
      body: JSON.stringify({ query, variables }),
    }).then((r) => r.json());
    const ws = new WebSocket(server.replace(/^http/, "ws") + "/graphql", "graphql-transport-ws");
    ws.onopen = () => ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: bearer } }));
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === "connection_ack") {
        const query = "subscription($g: ID!) { groupEvents(groupId: $g) { type typing { user { name } typing } } }";
        ws.send(JSON.stringify({ id: "live", type: "subscribe", payload: { query, variables: { g: group } } }));
      }
      const event = msg.type === "next" && msg.payload.data.groupEvents;
      if (event && event.type === "TYPING") {
        const t = event.typing;
        document.getElementById("typing").textContent = t.typing ? t.user.name + " is typing" : "";
      }
    };
  </script>`;
  other = createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise((ok) => other.listen(0, "127.0.0.1", ok));
  origin = `http://localhost:${other.address().port}`;
});
after(async () => {
  other.close();
  await chrome.instance.close();
});

async function chatPage(context, user, group) {
  const page = await context.newPage();
  const query = new URLSearchParams({ server: SERVER, token: token(user), group });
  await page.goto(`${origin}/?${query}`);
  return page;
}

const PRESENCE = "query($u: ID!) { node(id: $u) { ... on User { presence { online } } } }";

async function seesOnline(page, user) {
  for (let i = 0; i < 50; i++) {
    const reply = await page.evaluate(([q, u]) => window.gql(q, { u }), [PRESENCE, user]);
    if (reply.data?.node?.presence?.online) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

test("two browsers see each other online and typing", async () => {
  const group = await createGroup("alice", "Two browsers");
  const apply = "mutation($g: ID!) { applyToGroup(groupId: $g) { state } }";
  await gql("bob", apply, { g: group });
  const approve = "mutation($g: ID!) { approveApplication(groupId: $g, userId: \"bob\") { state } }";
  await gql("alice", approve, { g: group });
  const second = await chrome.instance.newContext();
  const alice = await chatPage(chrome.context, "alice", group);
  const bob = await chatPage(second, "bob", group);
  assert.ok(await seesOnline(alice, "bob"), "alice sees bob online");
  assert.ok(await seesOnline(bob, "alice"), "bob sees alice online");
  const typing = "mutation($g: ID!) { setTyping(groupId: $g) }";
  await alice.evaluate(([q, g]) => window.gql(q, { g }), [typing, group]);
  await bob.waitForFunction(() => document.getElementById("typing").textContent === "alice name is typing", null, {
    timeout: 5_000,
  });
  await screenshot(bob, "typing-seen");
  const stop = "mutation($g: ID!) { setTyping(groupId: $g, typing: false) }";
  await alice.evaluate(([q, g]) => window.gql(q, { g }), [stop, group]);
  await bob.waitForFunction(() => document.getElementById("typing").textContent === "", null, { timeout: 5_000 });
  await bob.close();
  await second.close();
  await alice.close();
  assert.deepEqual(chrome.external, [], "nothing was fetched from another host");
});
