// What every web test shares: the server under test (started by
// scripts/test-web), dev tokens, a GraphQL client, and a headless Chromium
// that may reach 127.0.0.1 and localhost only.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const SERVER = process.env.CHORUS_URL ?? "http://127.0.0.1:8080";
export const SCREENSHOTS = process.env.CHORUS_SCREENSHOTS ?? "/tmp/chorus-screenshots";
mkdirSync(SCREENSHOTS, { recursive: true });

/** A dev token for `user`, minted by the binary under test. */
export function token(user) {
  const bin = process.env.CHORUS_BIN ?? "chorus";
  return execFileSync(bin, ["dev-token", user, "--name", `${user} name`], {
    encoding: "utf8",
  }).trim();
}

/** POSTs one GraphQL request as `user`; the parsed response. */
export async function gql(user, query, variables = {}) {
  const reply = await fetch(`${SERVER}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token(user)}` },
    body: JSON.stringify({ query, variables }),
  });
  return reply.json();
}

export async function createGroup(owner, name) {
  const created = await gql(owner, "mutation($n: String!) { createGroup(input: {name: $n}) { id } }", { n: name });
  return created.data.createGroup.id;
}

export async function post(user, group, body) {
  const q = "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { id } }";
  return (await gql(user, q, { g: group, b: body })).data.postMessage.id;
}

/** Headless Chromium; `external` collects every request it tried to send
 * anywhere but this machine (all are refused). */
export async function browser() {
  const instance = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await instance.newContext({ viewport: { width: 1280, height: 800 } });
  const external = [];
  await context.route("**/*", (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === "127.0.0.1" || hostname === "localhost") return route.continue();
    external.push(route.request().url());
    return route.abort();
  });
  return { instance, context, external };
}

export function screenshot(page, name) {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
