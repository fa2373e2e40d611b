// The reference app (/app) in two browser contexts, alice and bob, each
// step checked in the other's page with no reload: a group, an
// application and its approval, posts and replies three levels deep, a
// reaction, a photo, search, typing and presence. No console error or
// Apollo cache warning, no request beyond this machine, no serious or
// critical axe-core violation on any screen; the bundle's size and the
// first screen's time are printed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { browser, createGroup, post, screenshot, SERVER } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// A 2x2 PNG, red.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==",
  "base64",
);

let chrome;
let second;
const problems = [];

function watch(page, who) {
  page.on("console", (m) => {
    const text = m.text();
    if (m.type() === "error" || (m.type() === "warning" && /cache|Apollo|Missing field/i.test(text))) {
      problems.push(`${who} ${m.type()}: ${text}`);
    }
  });
  page.on("pageerror", (e) => problems.push(`${who} page error: ${e.message}`));
}

async function axe(page, screen) {
  // Evaluated by the driver, which the page's CSP (no inline scripts)
  // does not govern.
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `axe on ${screen}`,
  );
}

async function signIn(context, user, name) {
  const page = await context.newPage();
  watch(page, user);
  const started = Date.now();
  await page.goto(`${SERVER}/app`);
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  const interactive = Date.now() - started;
  await page.getByLabel("User id").fill(user);
  await page.getByLabel("Display name").fill(name);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${name}`).waitFor();
  return { page, interactive };
}

before(async () => {
  chrome = await browser();
  second = await chrome.instance.newContext({ viewport: { width: 1280, height: 800 } });
  await second.route("**/*", (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === "127.0.0.1" || hostname === "localhost") return route.continue();
    chrome.external.push(route.request().url());
    return route.abort();
  });
});
after(async () => {
  await chrome.instance.close();
});

test("alice and bob chat in the reference app, every step seen live by the other", async () => {
  const run = Date.now().toString(36);
  const groupName = `Harbor ${run}`;
  const first = await chrome.context.newPage();
  watch(first, "signin");
  await first.goto(`${SERVER}/app`);
  await first.getByRole("button", { name: "Sign in" }).waitFor();
  await screenshot(first, "app-signin");
  await axe(first, "sign in");
  await first.close();

  const { page: alice, interactive } = await signIn(chrome.context, `alice-${run}`, "Alice");
  const { page: bob } = await signIn(second, `bob-${run}`, "Bob");
  try {
    await chat(alice, bob, groupName, interactive);
  } catch (err) {
    await screenshot(alice, "app-failed-alice");
    await screenshot(bob, "app-failed-bob");
    throw new Error(`${err.message}\nproblems: ${problems.join("; ")}`);
  }
});

async function chat(alice, bob, groupName, interactive) {

  // Alice creates the group; Bob finds it and applies.
  await alice.getByLabel("New group").fill(groupName);
  await alice.getByRole("button", { name: "Create" }).click();
  await alice.getByRole("heading", { name: groupName }).waitFor();
  await bob.getByRole("button", { name: "Discover groups" }).click();
  await bob.getByLabel("Group name").fill(`Harbor`);
  await bob.getByRole("button", { name: "Find" }).click();
  await bob.getByLabel("Note with your application").fill("I sail too");
  await screenshot(bob, "app-discover");
  await axe(bob, "discover");
  await bob.getByRole("button", { name: `Apply to ${groupName}` }).click();
  await bob.getByText("applied").waitFor();

  // Alice sees the application arrive and approves it; Bob's list shows
  // the group.
  await alice.getByRole("button", { name: "Approve Bob" }).waitFor();
  await screenshot(alice, "app-applications");
  await axe(alice, "applications");
  await alice.getByRole("button", { name: "Approve Bob" }).click();
  await bob.getByRole("navigation").getByRole("button", { name: groupName }).click();
  await bob.getByRole("heading", { name: groupName }).waitFor();

  // Posts and replies, three levels deep.
  await alice.getByLabel("Message", { exact: true }).fill("Tide at noon, who is in?");
  await alice.getByRole("button", { name: "Send", exact: true }).click();
  const root = bob.getByRole("listitem", { name: "Message by Alice" }).first();
  await root.getByText("Tide at noon, who is in?").waitFor();
  await root.getByRole("button", { name: "Reply" }).click();
  await bob.getByLabel("Reply to Alice").fill("Level one from Bob");
  await bob.getByRole("button", { name: "Send reply" }).click();
  await alice.getByRole("button", { name: "Show 1 reply" }).click();
  const one = alice.getByRole("listitem", { name: "Message by Bob" }).first();
  await one.getByText("Level one from Bob").waitFor();
  await one.getByRole("button", { name: "Reply" }).first().click();
  await alice.getByLabel("Reply to Bob").fill("Level two from Alice");
  await alice.getByRole("button", { name: "Send reply" }).click();
  await one.getByText("Level two from Alice").waitFor();
  await bob.getByRole("button", { name: "Show 1 reply" }).click();
  const two = bob.getByRole("listitem", { name: "Message by Alice" }).filter({ hasText: "Level two from Alice" }).last();
  await two.getByText("Level two from Alice").waitFor();
  await two.getByRole("button", { name: "Reply" }).last().click();
  await bob.getByLabel("Reply to Alice").fill("Level three from Bob");
  await bob.getByRole("button", { name: "Send reply" }).click();
  await alice.getByRole("button", { name: "Show 1 reply" }).last().click();
  await alice.getByText("Level three from Bob").waitFor();

  // A reaction, seen by the other.
  await bob.getByRole("listitem", { name: "Message by Alice" }).first().getByRole("button", { name: "React 👍" }).first().click();
  await alice.getByRole("button", { name: "👍 1" }).first().waitFor();

  // Alice (the owner) pins the thread's root; Bob sees it pinned.
  await alice.getByRole("listitem", { name: "Message by Alice" }).first().getByRole("button", { name: "Pin" }).first().click();
  await bob.getByRole("listitem", { name: "Message by Alice" }).first().getByText("· pinned").first().waitFor();

  // A photo: uploaded with its ticket, shown to Bob.
  await alice.getByLabel("Attach files").setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: PNG });
  await alice.getByLabel("Message", { exact: true }).fill("The harbor today");
  await alice.getByRole("button", { name: "Send", exact: true }).click();
  const photo = bob.getByRole("img", { name: "dot.png" });
  await photo.waitFor();
  await bob.waitForFunction(() => [...document.images].some((i) => i.alt === "dot.png" && i.naturalWidth === 2));

  // Typing and presence.
  // Typed as a person types: an indicator goes out at most every 3 s, and
  // the last one went with the photo's caption.
  await alice.getByLabel("Message", { exact: true }).pressSequentially("Anyone coming?", { delay: 400 });
  await bob.getByText("Alice is typing…").waitFor();
  await bob.getByLabel("Message", { exact: true }).pressSequentially("Me!", { delay: 100 });
  await alice.getByText("Bob is typing…").waitFor();
  const member = (page, name) =>
    page.getByRole("region", { name: "Members" }).getByRole("listitem").filter({ hasText: name });
  await member(bob, "Alice").getByText("online").waitFor();
  await member(alice, "Bob").getByText("online").waitFor();
  await screenshot(bob, "app-group");
  await axe(bob, "group");

  // Search, with the hit's path in the tree.
  await bob.getByRole("button", { name: "Search messages" }).click();
  await bob.getByLabel("Words").fill("three");
  await bob.getByRole("button", { name: "Search", exact: true }).click();
  const hit = bob.getByRole("listitem").filter({ hasText: "Level three" });
  await hit.waitFor();
  const path = await hit.locator(".path").textContent();
  assert.match(path, /Tide at noon.*Level one from Bob.*Level two from Alice/);
  await screenshot(bob, "app-search");
  await axe(bob, "search");

  // Unread: a post while Bob is elsewhere shows as a badge, and reading
  // the group clears it.
  await alice.getByLabel("Message", { exact: true }).fill("One more thing");
  await alice.getByRole("button", { name: "Send", exact: true }).click();
  const badge = bob.getByRole("navigation").getByLabel("1 unread");
  await badge.waitFor();
  await bob.getByText("1 unread in 1 groups").waitFor();
  await bob.getByRole("navigation").getByRole("button", { name: groupName }).click();
  await bob.getByText("One more thing").waitFor();
  await badge.waitFor({ state: "detached" });
  await bob.getByText("0 unread in 0 groups").waitFor();

  // Nothing left the machine, nothing went wrong in either page.
  assert.deepEqual(chrome.external, []);
  assert.deepEqual(problems, []);

  const bundle = readFileSync(new URL("../../assets/app/app.js", import.meta.url));
  const gzipped = gzipSync(bundle).length;
  console.log(`app.js: ${(gzipped / 1024).toFixed(1)} KB gzipped; first screen interactive in ${interactive} ms`);
  assert.ok(gzipped <= 300 * 1024, "the app's JavaScript stays within 300 KB gzipped");
}

test("a group's history pages back from the newest 20", async () => {
  const user = `pager-${Date.now().toString(36)}`;
  const group = await createGroup(user, `Paging ${user}`);
  for (let i = 1; i <= 25; i++) await post(user, group, `numbered message ${i}`);
  const { page } = await signIn(chrome.context, user, "Pager");
  await page.getByRole("navigation").getByRole("button", { name: `Paging ${user}` }).click();
  await page.getByText("numbered message 25").waitFor();
  assert.equal(await page.getByText("numbered message 5", { exact: true }).count(), 0);
  await page.getByRole("button", { name: "Load older messages" }).click();
  await page.getByText("numbered message 1", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Load older messages" }).waitFor({ state: "detached" });
  const bodies = await page.locator(".messages > .thread > .message .body").allTextContents();
  assert.deepEqual(bodies, Array.from({ length: 25 }, (_, i) => `numbered message ${i + 1}`));
  assert.deepEqual(problems, []);
});
