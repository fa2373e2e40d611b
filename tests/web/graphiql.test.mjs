// GraphiQL at `/` in a real Chromium with no network beyond this machine:
// it renders, runs a query with a token set in the Headers pane, and hears
// a subscription event posted from outside.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { browser, createGroup, gql, post, screenshot, SERVER, token } from "./helpers.mjs";

let chrome;
before(async () => {
  chrome = await browser();
});
after(async () => {
  await chrome.instance.close();
});

/** Sets the text of one of GraphiQL's CodeMirror editors. */
async function setEditor(page, selector, text) {
  await page.evaluate(
    ([selector, text]) => {
      const editor = [...document.querySelectorAll(selector)].find(
        (e) => !e.parentElement.classList.contains("hidden"),
      );
      editor.CodeMirror.setValue(text);
    },
    [selector, text],
  );
  // GraphiQL reads the operation (and its name) from the editor a moment
  // after it changes, as it does while someone types.
  await page.waitForTimeout(500);
}

function result(page) {
  return page.evaluate(() => document.querySelector(".result-window .CodeMirror").CodeMirror.getValue());
}

async function waitForResult(page, needle) {
  await page.waitForFunction(
    (needle) => document.querySelector(".result-window .CodeMirror")?.CodeMirror.getValue().includes(needle),
    needle,
    { timeout: 10_000 },
  );
}

test("GraphiQL renders offline, queries with the Headers pane's token and subscribes", async () => {
  const page = await chrome.context.newPage();
  const consoleErrors = [];
  page.on("pageerror", (err) => consoleErrors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy/.test(msg.text())) consoleErrors.push(msg.text());
  });
  await page.goto(`${SERVER}/`);
  await page.waitForSelector(".graphiql-container .graphiql-execute-button", { timeout: 15_000 });
  assert.match(await page.textContent("#hint"), /Authorization/);
  await screenshot(page, "graphiql-loaded");

  await setEditor(page, ".graphiql-editor-tool .CodeMirror", JSON.stringify({ Authorization: `Bearer ${token("alice")}` }));
  await setEditor(page, ".graphiql-query-editor .CodeMirror", "{ me { id name } }");
  await page.click(".graphiql-execute-button");
  await waitForResult(page, "alice name");
  const me = JSON.parse(await result(page));
  assert.deepEqual(me, { data: { me: { id: "alice", name: "alice name" } } });
  await screenshot(page, "graphiql-query");

  const group = await createGroup("alice", "Browser club");
  await setEditor(
    page,
    ".graphiql-query-editor .CodeMirror",
    `subscription { groupEvents(groupId: "${group}") { id type message { body author { id } } } }`,
  );
  await page.click(".graphiql-execute-button");
  // The socket is open once the server counts a subscriber; post until heard.
  const body = "posted from outside the browser";
  for (let attempt = 0; attempt < 20 && !(await result(page)).includes(body); attempt++) {
    await post("alice", group, body);
    await page.waitForTimeout(250);
  }
  await waitForResult(page, body);
  const event = JSON.parse(await result(page)).data.groupEvents;
  assert.equal(event.type, "MESSAGE_POSTED");
  assert.match(event.id, /^ev_/);
  await screenshot(page, "graphiql-subscription");

  assert.deepEqual(chrome.external, [], "nothing was fetched from another host");
  const secret = token("alice").split(".")[2];
  const stored = await page.evaluate(
    (secret) => Object.keys(localStorage).filter((k) => String(localStorage.getItem(k)).includes(secret)),
    secret,
  );
  assert.deepEqual(stored, [], "the token is not kept in localStorage");
  assert.deepEqual(consoleErrors, []);
  await page.close();
});

test("a page on another origin calls /graphql with fetch and a bearer token", async () => {
  const { createServer } = await import("node:http");
  const bearer = token("bob");
  const html = `<!doctype html><p id="out">waiting</p><script>
    fetch(${JSON.stringify(`${SERVER}/graphql`)}, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: ${JSON.stringify(`Bearer ${bearer}`)} },
      body: JSON.stringify({ query: "{ me { id } }" }),
    }).then(r => r.json()).then(j => { document.getElementById("out").textContent = JSON.stringify(j); },
      e => { document.getElementById("out").textContent = "failed: " + e; });
  </script>`;
  const other = createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise((ok) => other.listen(0, "127.0.0.1", ok));
  const origin = `http://localhost:${other.address().port}`;
  assert.notEqual(new URL(origin).origin, new URL(SERVER).origin);
  const page = await chrome.context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.getElementById("out").textContent !== "waiting");
  const out = await page.textContent("#out");
  await screenshot(page, "cross-origin-fetch");
  other.close();
  assert.deepEqual(JSON.parse(out), { data: { me: { id: "bob" } } }, out);
  await page.close();
});

test("GraphiQL's \"sign in as\" sets the header for queries (the local server's dev-token endpoint)", async () => {
  const page = await chrome.context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.goto(`${SERVER}/`);
  await page.waitForSelector(".graphiql-container .graphiql-execute-button", { timeout: 15_000 });
  await page.getByLabel("Sign in as").fill("carol");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByText("Signed in as carol").waitFor();
  await page.waitForSelector(".graphiql-container .graphiql-execute-button");
  await setEditor(page, ".graphiql-query-editor .CodeMirror", "{ me { id name } }");
  await page.click(".graphiql-execute-button");
  await waitForResult(page, "carol");
  assert.deepEqual(JSON.parse(await result(page)), { data: { me: { id: "carol", name: "carol" } } });
  assert.deepEqual(errors, []);
  await screenshot(page, "graphiql-sign-in-as");
});
