// Preview URLs proxy HTTP to a server started inside the sandbox; every route needs the token.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, sleep } from "./helpers";

test("preview URL proxies to an HTTP server running in the sandbox", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ name: "web" });
  const port = 20000 + Math.floor(Math.random() * 20000);
  await sb.fs.uploadFile(Buffer.from("preview works\n"), "/home/daytona/index.html");
  await sb.process.createSession("web");
  await sb.process.executeSessionCommand("web", { command: `cd /home/daytona && exec python3 -m http.server ${port} --bind 127.0.0.1`, runAsync: true });
  const link = await sb.getPreviewLink(port);
  assert.equal(link.sandboxId, sb.id);
  assert.ok(link.url.startsWith(`http://127.0.0.1:${ts.server.port}/preview/${sb.id}/${port}/`));
  let res: Response | undefined;
  for (let i = 0; i < 100; i++) {
    res = await fetch(`${link.url}index.html`, { headers: { "x-daytona-preview-token": link.token } });
    if (res.status === 200) break;
    await sleep(50);
  }
  assert.equal(res?.status, 200);
  assert.equal(await res?.text(), "preview works\n");
  const noToken = await fetch(`${link.url}index.html`);
  assert.equal(noToken.status, 401);
  await sb.stop();
  const afterStop = await fetch(`${link.url}index.html`, { headers: { "x-daytona-preview-token": link.token } });
  assert.equal(afterStop.status, 409);
});

test("401 without the token: REST, toolbox, build logs, S3, WebSocket upgrade and socket.io", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const origin = `http://127.0.0.1:${ts.server.port}`;
  for (const [method, url] of [
    ["GET", `${ts.server.apiUrl}/sandbox`],
    ["GET", `${ts.server.apiUrl}/sandbox/${sb.id}`],
    ["POST", `${ts.server.apiUrl}/sandbox`],
    ["GET", `${ts.server.apiUrl}/sandbox/${sb.id}/build-logs?follow=true`],
    ["GET", `${ts.server.apiUrl}/_local/stats`],
    ["GET", `${origin}/toolbox/${sb.id}/user-home-dir`],
    ["GET", `${origin}/s3/daytona-volume-builds?list-type=2&prefix=x`],
  ]) {
    const r = await fetch(url, { method, headers: { authorization: "Bearer wrong" } });
    assert.equal(r.status, 401, `${method} ${url}`);
  }
  const ok = await fetch(`${ts.server.apiUrl}/sandbox/${sb.id}`, { headers: { authorization: `Bearer ${ts.server.token}` } });
  assert.equal(ok.status, 200);

  const { WebSocket } = await import("ws");
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${ts.server.port}/toolbox/${sb.id}/process/pty/create-connect?id=x&cols=80&rows=24`);
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => resolve(101));
    ws.on("error", () => undefined);
  });
  assert.equal(status, 401);

  const { io } = await import("socket.io-client");
  const socket = io(`http://127.0.0.1:${ts.server.port}`, { path: "/api/socket.io/", transports: ["websocket"], auth: { token: "wrong" }, reconnection: false });
  const err = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
  socket.disconnect();
  assert.match(err.message, /Unauthorized/);
});
