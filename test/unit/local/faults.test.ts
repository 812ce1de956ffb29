// The latency proxy in front of the server delays every request; the 5xx fault answers a share of
// requests with 503 (seeded); dropped WebSockets; the stats endpoint and its reset.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFaultSpec } from "../../../src/local/faults";
import { startTestServer } from "./helpers";
import { removeInstance } from "../../../src/local/runtime/reconcile";

test("fault spec grammar", () => {
  assert.deepEqual(parseFaultSpec("5xx=0.1,drop-ws-after=2000,seed=42"), { errorRate: 0.1, dropWsAfterMs: 2000, seed: 42 });
  assert.deepEqual(parseFaultSpec("seed=3"), { errorRate: 0, seed: 3 });
  assert.throws(() => parseFaultSpec("latency=30"), /unknown key "latency"/);
  assert.throws(() => parseFaultSpec("5xx=2"), /between 0 and 1/);
  assert.throws(() => parseFaultSpec("bogus=1"), /unknown key/);
  assert.throws(() => parseFaultSpec("5xx"), /key=value/);
});

test("the link in front of the server: a request on a new connection costs the handshake plus one round trip, and URLs handed out go through it", async (t) => {
  const ts = await startTestServer({ link: { rttMs: 100 }, daytonaOptions: { useDeprecatedPolling: true } });
  t.after(() => ts.stop());
  const headers = { authorization: `Bearer ${ts.server.token}`, connection: "close" };
  const t0 = performance.now();
  const r = await fetch(`${ts.server.apiUrl}/snapshots`, { headers });
  await r.arrayBuffer();
  const took = performance.now() - t0;
  assert.equal(r.status, 200);
  assert.ok(took >= 195 && took < 1500, `took ${took.toFixed(0)} ms`);
  assert.equal(ts.proxy!.stats().roundTrips, 1);
  assert.equal(ts.proxy!.stats().connections, 1);
  // The toolbox URL the SDK is given is the proxy's, so toolbox traffic pays the link too.
  const sb = await ts.daytona.create();
  assert.ok(sb.toolboxProxyUrl?.startsWith(ts.proxy!.origin), sb.toolboxProxyUrl);
  await sb.delete();
});

test("5xx faults hit a share of requests; stats count them over HTTP", async (t) => {
  const ts = await startTestServer({ faults: "5xx=0.5,seed=7", daytonaOptions: { useDeprecatedPolling: true } });
  t.after(() => ts.stop());
  const headers = { authorization: `Bearer ${ts.server.token}` };
  const codes: number[] = [];
  for (let i = 0; i < 40; i++) codes.push((await fetch(`${ts.server.apiUrl}/snapshots`, { headers })).status);
  const failed = codes.filter((c) => c === 503).length;
  assert.ok(failed > 5 && failed < 35, `503 count ${failed} of 40`);
  assert.equal(codes.filter((c) => c === 200).length, 40 - failed);
  const stats = (await (await fetch(`${ts.server.apiUrl}/_local/stats`, { headers })).json()) as { requests: number; faults: { injected5xx: number }; bytesOut: number };
  assert.equal(stats.faults.injected5xx, failed);
  assert.equal(stats.requests, 40);
  assert.ok(stats.bytesOut > 0);
  const reset = (await (await fetch(`${ts.server.apiUrl}/_local/stats/reset`, { method: "POST", headers })).json()) as { requests: number };
  assert.equal(reset.requests, 0);
});

test("drop-ws-after cuts WebSockets", async (t) => {
  const ts = await startTestServer({ faults: "drop-ws-after=500", daytonaOptions: { useDeprecatedPolling: true } });
  t.after(() => ts.stop());
  const { io } = await import("socket.io-client");
  const t0 = Date.now();
  const socket = io(`http://127.0.0.1:${ts.server.port}`, { path: "/api/socket.io/", transports: ["websocket"], auth: { token: ts.server.token }, reconnection: false });
  t.after(() => socket.disconnect());
  // Both ends are listened for from the start: on a busy machine the cut may come before the
  // socket.io handshake is done, and then the client sees a connect error rather than a disconnect.
  let connected = false;
  socket.on("connect", () => (connected = true));
  const seen = await new Promise<string>((resolve) => {
    socket.on("disconnect", (reason) => resolve(`disconnect: ${reason}`));
    socket.on("connect_error", (err) => resolve(`connect_error: ${err.message}`));
  });
  assert.ok(Date.now() - t0 >= 450, `cut after ${Date.now() - t0} ms`);
  if (connected) assert.match(seen, /^disconnect: transport/);
  else assert.match(seen, /^connect_error: /);
  // The server counts the drop before it cuts the socket, so whatever the client saw implies the count.
  assert.equal(ts.server.stats().faults.droppedWs, 1);
});

test("POST /_local/drop-ws cuts every WebSocket when asked, counted before the cut", async (t) => {
  const ts = await startTestServer({ daytonaOptions: { useDeprecatedPolling: true } });
  t.after(() => ts.stop());
  const { io } = await import("socket.io-client");
  const socket = io(`http://127.0.0.1:${ts.server.port}`, { path: "/api/socket.io/", transports: ["websocket"], auth: { token: ts.server.token }, reconnection: false });
  t.after(() => socket.disconnect());
  await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
  const gone = new Promise<string>((resolve) => socket.on("disconnect", resolve));
  const r = await fetch(`${ts.server.apiUrl}/_local/drop-ws`, { method: "POST", headers: { authorization: `Bearer ${ts.server.token}` } });
  assert.deepEqual(await r.json(), { dropped: 1 });
  assert.match(await gone, /transport/);
  assert.equal(ts.server.stats().faults.droppedWs, 1);
  const unauth = await fetch(`${ts.server.apiUrl}/_local/drop-ws`, { method: "POST" });
  assert.equal(unauth.status, 401);
});

test("CLI --latency: the printed apiUrl is the proxy's, every request pays the round trip, bad flags are refused", async (t) => {
  const { spawn, spawnSync } = await import("node:child_process");
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const { createInterface } = await import("node:readline");
  const root = path.resolve(__dirname, "..", "..", "..");
  const main = path.join(root, "src/local/main.ts");
  const dataDir = await mkdtemp(path.join(tmpdir(), "daytona-cli-latency-"));
  t.after(async () => {
    // Killed with -9 below: its warm-pool containers stay on the engine unless removed here.
    await removeInstance(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });
  const refused = spawnSync(process.execPath, ["--import", "tsx", main, "--data", dataDir, "--jitter", "5"], { cwd: root, encoding: "utf8" });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /--jitter and --bandwidth need --latency/);
  const child = spawn(process.execPath, ["--import", "tsx", main, "--port", "0", "--data", dataDir, "--latency", "80"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  t.after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`exited ${code} before ready`)));
  });
  const ready = JSON.parse(first) as { apiUrl: string; token: string };
  const headers = { authorization: `Bearer ${ready.token}` };
  // A warm connection: the second request costs one round trip, not the handshake too.
  await (await fetch(`${ready.apiUrl}/snapshots`, { headers })).arrayBuffer();
  const t0 = performance.now();
  const r = await fetch(`${ready.apiUrl}/snapshots`, { headers });
  await r.arrayBuffer();
  const took = performance.now() - t0;
  assert.equal(r.status, 200);
  assert.ok(took >= 78 && took < 1000, `took ${took.toFixed(0)} ms`);
  // The toolbox URL handed out is on the same (proxied) origin.
  const made = await fetch(`${ready.apiUrl}/sandbox`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: "{}" });
  const sb = (await made.json()) as { id: string; toolboxProxyUrl: string };
  assert.equal(new URL(sb.toolboxProxyUrl).origin, new URL(ready.apiUrl).origin);
  const code = await new Promise<number | null>((resolve) => {
    child.once("exit", (c) => resolve(c));
    child.kill("SIGTERM");
  });
  assert.equal(code, 0);
});
