// A chat page of another origin sends a photo the way docs/clients.md
// shows: it picks a file, asks for an upload ticket, PUTs the bytes to the
// ticket's URL with its headers, posts with the attachment's id, and shows
// the image from `attachments[0].url`.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { crc32, deflateSync } from "node:zlib";
import { after, before, test } from "node:test";
import { browser, createGroup, screenshot, SERVER, token } from "./helpers.mjs";

/** A `size`x`size` PNG, a red square, made here. */
function png(size) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([220, 30, 30]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]);
}

let chrome;
let other;
let origin;
before(async () => {
  chrome = await browser();
  const html = `<!doctype html><title>photos</title>
    <input type="file" id="file" accept="image/*"><p id="status"></p><img id="photo" alt="">
    <script>
    const params = new URLSearchParams(location.search);
    const server = params.get("server"), bearer = "Bearer " + params.get("token"), group = params.get("group");
    const gql = (query, variables) => fetch(server + "/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: bearer },
      body: JSON.stringify({ query, variables }),
    }).then((r) => r.json());
    const UPLOAD = "mutation($input: CreateUploadInput!) { createUpload(input: $input) { url method headers { name value } attachment { id } } }";
    const POST = "mutation($g: ID!, $ids: [ID!]) { postMessage(input: {groupId: $g, body: \\"\\", attachmentIds: $ids}) { attachments { url width height } } }";
    document.getElementById("file").onchange = async (e) => {
      const file = e.target.files[0];
      const bitmap = await createImageBitmap(file);
      const input = { groupId: group, filename: file.name, contentType: file.type, size: file.size,
                      width: bitmap.width, height: bitmap.height };
      const ticket = (await gql(UPLOAD, { input })).data.createUpload;
      const headers = Object.fromEntries(ticket.headers.map((h) => [h.name, h.value]));
      const put = await fetch(ticket.url, { method: ticket.method, headers, body: file });
      if (!put.ok) { document.getElementById("status").textContent = "upload failed " + put.status; return; }
      const posted = await gql(POST, { g: group, ids: [ticket.attachment.id] });
      const photo = posted.data.postMessage.attachments[0];
      document.getElementById("status").textContent = "sent " + photo.width + "x" + photo.height;
      document.getElementById("photo").src = photo.url;
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

test("a page of another origin uploads a photo, posts it and shows it", async () => {
  const group = await createGroup("alice", "Photos");
  const page = await chrome.context.newPage();
  const query = new URLSearchParams({ server: SERVER, token: token("alice"), group });
  await page.goto(`${origin}/?${query}`);
  await page.setInputFiles("#file", { name: "red.png", mimeType: "image/png", buffer: png(16) });
  await page.waitForFunction(() => document.getElementById("photo").naturalWidth > 0, null, { timeout: 10_000 });
  assert.equal(await page.textContent("#status"), "sent 16x16");
  const size = await page.evaluate(() => {
    const img = document.getElementById("photo");
    return [img.naturalWidth, img.naturalHeight];
  });
  assert.deepEqual(size, [16, 16], "the image decoded from its signed URL");
  await screenshot(page, "attachment-shown");
  await page.close();
  assert.deepEqual(chrome.external, [], "nothing was fetched from another host");
});
