// Signed URLs through the real SDK: pre-signed file download/upload URLs (no credentials needed,
// tampering, expiry and key rotation refuse them), signed preview URLs (expiry, revoke, rotation),
// and the latest metrics sample.
import { test } from "node:test";
import assert from "node:assert/strict";
import { WebSocket } from "ws";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { sleep, startTestServer } from "./helpers";
import { responseSchema, validate, type SchemaDoc } from "./schemaCheck";

const toolboxSpec = path.resolve(__dirname, "..", "..", "..", "..", "shared", "daytona-openapi", "toolbox.json");

test("pre-signed file URLs: download, upload, tamper, expiry, rotation", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ name: "signed-files" });
  await sb.fs.uploadFile(Buffer.from("signed-url-download-content"), "dir/down.txt");

  const url = await sb.downloadUrl("dir/down.txt");
  assert.match(url, /signature=v1_/);
  assert.match(url, /expires=\d+/);
  const got = await fetch(url);
  assert.equal(got.status, 200);
  assert.equal(await got.text(), "signed-url-download-content");

  const upUrl = await sb.uploadUrl("dir/up/new.txt");
  const form = new FormData();
  form.append("file", new Blob(["signed-url-upload-content"]), "x.txt");
  const up = await fetch(upUrl, { method: "POST", body: form });
  assert.equal(up.status, 200, await up.clone().text());
  assert.deepEqual(((await up.json()) as { path: string }).path, "dir/up/new.txt");
  assert.equal((await sb.fs.downloadFile("dir/up/new.txt")).toString(), "signed-url-upload-content");

  // A URL signed for another path, another method, or an edited expiry is refused.
  const forged = new URL(url);
  forged.searchParams.set("path", "/etc/passwd");
  assert.equal((await fetch(forged)).status, 403);
  const asUpload = url.replace("/files/download", "/files/upload-v2");
  assert.equal((await fetch(asUpload, { method: "POST", body: "x" })).status, 403);
  const later = new URL(url);
  later.searchParams.set("expires", String(Number(later.searchParams.get("expires")) + 10));
  assert.equal((await fetch(later)).status, 403);
  // An expired one too (ttl 1 s), with the daemon's error shape.
  const short = await sb.downloadUrl("dir/down.txt", 1);
  await sleep(2100);
  const expired = await fetch(short);
  assert.equal(expired.status, 403);
  const body = (await expired.json()) as { statusCode: number; message: string; code: string };
  assert.equal(body.statusCode, 403);
  assert.match(body.message, /expired/);
  // ttl 0 never expires; a missing file is FILE_NOT_FOUND.
  assert.equal((await fetch(await sb.downloadUrl("dir/down.txt", 0))).status, 200);
  assert.equal((await fetch(await sb.downloadUrl("dir/none.txt"))).status, 404);

  // Rotation: old URLs stop working, new ones work.
  await sb.rotateSigningKey();
  assert.equal((await fetch(url)).status, 403);
  const fresh = await fetch(await sb.downloadUrl("dir/down.txt"));
  assert.equal(fresh.status, 200);
  assert.equal(await fresh.text(), "signed-url-download-content");

  // A stopped sandbox does not serve them.
  const keep = await sb.downloadUrl("dir/down.txt");
  await sb.stop();
  assert.equal((await fetch(keep)).status, 409);
});

// Run in the sandbox with its own node: answers "hello from <url>" and echoes WebSocket text
// messages as "echo:<text>" (a minimal RFC 6455 server, so nothing needs installing there).
const BACKEND_SOURCE = `
const http = require("http"), crypto = require("crypto");
const server = http.createServer((req, res) => res.end("hello from " + req.url));
server.on("upgrade", (req, socket) => {
  const accept = crypto.createHash("sha1").update(req.headers["sec-websocket-key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
  socket.write("HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: " + accept + "\\r\\n\\r\\n");
  let buf = Buffer.alloc(0);
  socket.on("data", (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      if (buf.length < 2) return;
      const op = buf[0] & 15;
      let len = buf[1] & 127, off = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
      if (buf.length < off + 4 + len) return;
      const mask = buf.subarray(off, off + 4);
      const data = Buffer.from(buf.subarray(off + 4, off + 4 + len)).map((b, i) => b ^ mask[i % 4]);
      buf = buf.subarray(off + 4 + len);
      if (op === 8) { socket.end(Buffer.from([0x88, 0])); return; }
      if (op !== 1) continue;
      const out = Buffer.from("echo:" + data.toString());
      socket.write(Buffer.concat([Buffer.from([0x81, out.length]), out]));
    }
  });
  socket.on("error", () => undefined);
});
server.listen(+process.argv[2], "127.0.0.1");
`;

test("signed preview URLs: open a private sandbox's port with no token until expiry or revoke", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ name: "signed-preview", public: false });
  // The server listens inside the sandbox, on its loopback (where the preview reaches it).
  const port = 20000 + Math.floor(Math.random() * 20000);
  await sb.fs.uploadFile(Buffer.from(BACKEND_SOURCE), "/home/daytona/backend.js");
  await sb.process.createSession("web");
  await sb.process.executeSessionCommand("web", { command: `exec node /home/daytona/backend.js ${port}`, runAsync: true });

  // The plain preview URL needs its token; the signed one carries it.
  const plain = await sb.getPreviewLink(port);
  assert.equal((await fetch(plain.url)).status, 401);
  const signed = await sb.getSignedPreviewUrl(port, 2);
  assert.equal(signed.port, port);
  assert.equal(signed.sandboxId, sb.id);
  assert.match(signed.token, /^[a-z0-9]+$/);
  assert.ok(signed.url.includes(signed.token));
  let ok = await fetch(signed.url + "page?q=1");
  for (let i = 0; i < 100 && ok.status === 502; i++) {
    await sleep(50);
    ok = await fetch(signed.url + "page?q=1");
  }
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), "hello from /page?q=1");
  // Only for that port.
  assert.equal((await fetch(signed.url.replace(`/${port}-`, `/${port === 1 ? 2 : 1}-`))).status, 401);
  await sleep(2200);
  assert.equal((await fetch(signed.url)).status, 401);

  const revoked = await sb.getSignedPreviewUrl(port, 60);
  assert.equal((await fetch(revoked.url)).status, 200);
  await sb.expireSignedPreviewUrl(port, revoked.token);
  assert.equal((await fetch(revoked.url)).status, 401);

  const rotated = await sb.getSignedPreviewUrl(port);
  await sb.rotateSigningKey();
  assert.equal((await fetch(rotated.url)).status, 401);

  // WebSockets go through the signed link too (and are refused once it is revoked).
  const wsLink = await sb.getSignedPreviewUrl(port, 60);
  const ws = new WebSocket(wsLink.url.replace(/^http/, "ws") + "socket");
  const echoed = await new Promise<string>((resolve, reject) => {
    ws.once("open", () => ws.send("hi"));
    ws.once("message", (m) => resolve(String(m)));
    ws.once("error", reject);
  });
  ws.close();
  assert.equal(echoed, "echo:hi");
  await sb.expireSignedPreviewUrl(port, wsLink.token);
  const refused = new WebSocket(wsLink.url.replace(/^http/, "ws"));
  const status = await new Promise<number | undefined>((resolve) => {
    refused.once("unexpected-response", (_req, res) => resolve(res.statusCode));
    refused.once("open", () => resolve(101));
    refused.once("error", () => resolve(undefined));
  });
  refused.terminate();
  assert.equal(status, 401);

  await assert.rejects(sb.getSignedPreviewUrl(port, 0), /expiresInSeconds/);
  await assert.rejects(sb.getSignedPreviewUrl(port, 86401), /expiresInSeconds/);
});

test("metrics: getMetricsLatest reports the sandbox's limits and usage", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ name: "metrics", snapshot: "daytona-medium" });
  await sb.fs.uploadFile(Buffer.alloc(300_000, 1), "blob.bin");
  const m = await sb.getMetricsLatest();
  assert.ok(m.timestamp instanceof Date);
  assert.equal(m.cpuCount, 2);
  assert.equal(m.memTotal, 4 * 1024 ** 3);
  assert.equal(m.diskTotal, 8 * 1024 ** 3);
  assert.ok(m.diskUsed >= 300_000, `diskUsed ${m.diskUsed}`);
  assert.ok(m.cpuUsedPct >= 0 && m.cpuUsedPct <= 100);
  // A busy process shows as CPU and memory use in the next sample.
  await sb.process.createSession("burn");
  await sb.process.executeSessionCommand("burn", { command: "python3 -c 'x=bytearray(50*1024*1024)\nwhile True: pass'", runAsync: true });
  await sleep(1500);
  await sb.getMetricsLatest();
  await sleep(1000);
  const busy = await sb.getMetricsLatest();
  assert.ok(busy.cpuUsedPct > 10, `cpuUsedPct ${busy.cpuUsedPct}`);
  assert.ok(busy.memUsed > 50 * 1024 * 1024, `memUsed ${busy.memUsed}`);
  // The raw answer matches the toolbox contract (SystemMetrics).
  if (existsSync(toolboxSpec)) {
    const doc = JSON.parse(readFileSync(toolboxSpec, "utf8")) as SchemaDoc;
    const raw = await fetch(`${sb.toolboxProxyUrl}/${sb.id}/system/metrics`, { headers: { authorization: `Bearer ${ts.server.token}` } });
    const errors: string[] = [];
    validate(doc, responseSchema(doc, "GET", "/system/metrics"), await raw.json(), "GET /system/metrics", errors);
    assert.deepEqual(errors, []);
  } else console.warn(`TOOLBOX CONTRACT NOT FOUND: ${toolboxSpec}; SystemMetrics shape not checked`);
  await sb.stop();
  await assert.rejects(sb.getMetricsLatest());
});
