// Issue 18 findings 6, 10 and 12: an S3 PUT is streamed to disk (memory stays flat), S3 keys that
// climb out of the bucket are a 400 (not a 500), long transfers outlive any total request timeout
// while a stalled connection is closed after the idle timeout, and socket.io drops a connection that
// does not authenticate (wrong token at once, none within the auth window).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as http from "node:http";
import { s3SessionToken } from "../../../src/local/auth";
import { sleep } from "./attack";
import { startTestServer } from "../local/helpers";

function request(opts: http.RequestOptions, body?: (req: http.ClientRequest) => Promise<void>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(opts, (res) => {
      let text = "";
      res.on("data", (d) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    if (body) void body(req).catch(reject);
    else req.end();
  });
}

test("finding 6: a large S3 PUT streams to disk", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const headers = { "x-amz-security-token": s3SessionToken(ts.server.token) };
  const SIZE = 256 * 1024 * 1024;
  const chunk = Buffer.alloc(1024 * 1024, 7);
  const md5 = createHash("md5");
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const put = await request({ host: "127.0.0.1", port: ts.server.port, method: "PUT", path: "/s3/daytona-volume-builds/local/big/context.tar", headers: { ...headers, "content-length": SIZE } }, async (req) => {
    for (let sent = 0; sent < SIZE; sent += chunk.length) {
      md5.update(chunk);
      if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
    }
    req.end();
  });
  clearInterval(timer);
  assert.equal(put.status, 200, put.text);
  const grew = (peak - base) / 1024 / 1024;
  assert.ok(grew < 128, `resident memory grew by ${grew.toFixed(0)} MB for a ${SIZE / 1024 / 1024} MB PUT`);
  const head = await request({ host: "127.0.0.1", port: ts.server.port, method: "HEAD", path: "/s3/daytona-volume-builds/local/big/context.tar", headers });
  assert.equal(head.status, 200);
  // aws-chunked bodies decode while streaming too.
  const aws = "5;chunk-signature=x\r\nhello\r\n6;chunk-signature=y\r\n world\r\n0;chunk-signature=z\r\n\r\n";
  const put2 = await request({ host: "127.0.0.1", port: ts.server.port, method: "PUT", path: "/s3/daytona-volume-builds/local/small/o", headers: { ...headers, "content-encoding": "aws-chunked", "content-length": Buffer.byteLength(aws) } }, async (req) => void req.end(aws));
  assert.equal(put2.status, 200);
  const get2 = await request({ host: "127.0.0.1", port: ts.server.port, method: "GET", path: "/s3/daytona-volume-builds/local/small/o", headers });
  assert.equal(get2.text, "hello world");
});

test("finding 12: S3 keys that leave the bucket are 400", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const headers = { "x-amz-security-token": s3SessionToken(ts.server.token) };
  for (const key of ["..%2F..%2Fescape", "a/..%2F..%2F..%2Fescape", "%2E%2E/x", "a/%00/b"]) {
    for (const method of ["PUT", "GET", "DELETE"]) {
      const r = await request({ host: "127.0.0.1", port: ts.server.port, method, path: `/s3/daytona-volume-builds/${key}`, headers: { ...headers, "content-length": 0 } });
      assert.equal(r.status, 400, `${method} ${key}: ${r.status} ${r.text}`);
    }
  }
});

test("finding 10: long transfers and long commands outlive the idle timeout; stalled uploads are closed", async (t) => {
  const ts = await startTestServer({ idleTimeoutMs: 1000 });
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ name: "slow" });
  const boundary = "xyzBOUNDARY";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="files[0].path"\r\n\r\n/home/daytona/slow.bin\r\n--${boundary}\r\nContent-Disposition: form-data; name="files[0].file"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const opts = { agent: false, host: "127.0.0.1", port: ts.server.port, method: "POST", path: `/toolbox/${sb.id}/files/bulk-upload`, headers: { authorization: `Bearer ${ts.server.token}`, "content-type": `multipart/form-data; boundary=${boundary}` } };
  const t0 = Date.now();
  const slow = await request(opts, async (req) => {
    req.write(head);
    for (let i = 0; i < 12; i++) {
      req.write(Buffer.alloc(1024, 65 + i));
      await sleep(300);
    }
    req.end(tail);
  });
  assert.equal(slow.status, 200, slow.text);
  assert.ok(Date.now() - t0 > 3000);
  assert.equal((await sb.fs.getFileDetails("/home/daytona/slow.bin")).size, 12 * 1024);

  const stalled = await new Promise<string>((resolve) => {
    const req = http.request(opts, (res) => resolve(`answered ${res.statusCode}`));
    req.on("error", (e) => resolve(`closed: ${e.message}`));
    req.write(head);
    req.write("partial");
    setTimeout(() => {
      resolve("still open after 5 s");
      req.destroy();
    }, 5000).unref();
  });
  assert.match(stalled, /closed|answered 408/, stalled);

  // A complete request the server is still working on is not idle: a 3 s command with a 1 s idle timeout.
  const long = await sb.process.executeCommand("sleep 3; echo finished", undefined, undefined, 30);
  assert.equal(long.result.trim(), "finished");
});

test("finding 12: socket.io drops connections that do not authenticate", async (t) => {
  const ts = await startTestServer({ socketAuthWindowMs: 1000 });
  t.after(() => ts.stop());
  const { WebSocket } = await import("ws");
  const url = `ws://127.0.0.1:${ts.server.port}/api/socket.io/?EIO=4&transport=websocket`;
  const openEngine = () =>
    new Promise<{ ws: InstanceType<typeof WebSocket>; closed: Promise<number>; messages: string[] }>((resolve, reject) => {
      const ws = new WebSocket(url);
      const messages: string[] = [];
      const closed = new Promise<number>((r) => ws.on("close", () => r(Date.now())));
      ws.on("message", (m) => messages.push(m.toString()));
      ws.on("open", () => resolve({ ws, closed, messages }));
      ws.on("error", reject);
    });
  // A wrong token: refused and the connection closed.
  const wrong = await openEngine();
  wrong.ws.send(`40${JSON.stringify({ token: "wrong-token" })}`);
  const t0 = Date.now();
  const closedAt = await Promise.race([wrong.closed, sleep(3000).then(() => 0)]);
  assert.ok(closedAt > 0, `the connection stayed open after a wrong token: ${wrong.messages.join(" | ")}`);
  assert.ok(closedAt - t0 < 2000);
  assert.ok(wrong.messages.some((m) => m.startsWith("44")), wrong.messages.join(" | "));
  // No token at all: closed when the auth window ends.
  const silent = await openEngine();
  const t1 = Date.now();
  const silentAt = await Promise.race([silent.closed, sleep(4000).then(() => 0)]);
  assert.ok(silentAt > 0 && silentAt - t1 < 3000, "an unauthenticated connection was kept open");
  // A wrong bearer header on the upgrade itself is refused before any handshake.
  const refused = await new Promise<number>((resolve) => {
    const ws = new WebSocket(url, { headers: { authorization: "Bearer wrong" } });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("error", () => undefined);
  });
  assert.equal(refused, 401);
  // The right token still connects and stays.
  const good = await openEngine();
  good.ws.send(`40${JSON.stringify({ token: ts.server.token })}`);
  await sleep(1500);
  assert.ok(good.messages.some((m) => m.startsWith("40")), good.messages.join(" | "));
  assert.equal(good.ws.readyState, WebSocket.OPEN);
  good.ws.close();
});
