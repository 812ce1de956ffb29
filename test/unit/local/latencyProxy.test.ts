// The latency proxy against a plain TCP echo server: each direction costs half the round trip, a new
// connection pays its handshake, round trips and pushes are counted, the bandwidth cap holds, jitter
// never reorders, and a close on one side reaches the other after the data.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as net from "node:net";
import { startLatencyProxy } from "../../../src/local/latencyProxy";

async function echoServer(onConnection?: (s: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    if (onConnection) onConnection(s);
    else s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
}

/** Resolves with the time until `bytes` bytes came back. */
function readBytes(s: net.Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const got: Buffer[] = [];
    let n = 0;
    const on = (d: Buffer) => {
      got.push(d);
      n += d.length;
      if (n >= bytes) {
        s.off("data", on);
        resolve(Buffer.concat(got));
      }
    };
    s.on("data", on);
  });
}

test("an echo costs one round trip, the first one also the handshake; round trips are counted", async (t) => {
  const echo = await echoServer();
  const proxy = await startLatencyProxy(echo.port, { rttMs: 60 });
  t.after(async () => {
    await proxy.close();
    await echo.close();
  });
  const s = await connect(proxy.port);
  t.after(() => s.destroy());
  let t0 = performance.now();
  s.write("a");
  await readBytes(s, 1);
  const first = performance.now() - t0;
  // Upper bounds leave room for a busy machine; medians keep them meaningful (a doubled delay fails).
  assert.ok(first >= 108 && first < 400, `first echo with the handshake: ${first.toFixed(1)} ms`);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    s.write("b");
    await readBytes(s, 1);
    times.push(performance.now() - t0);
  }
  for (const ms of times) assert.ok(ms >= 58, `echo ${ms.toFixed(1)} ms`);
  const mid = [...times].sort((a, b) => a - b)[2];
  assert.ok(mid < 100, `median echo ${mid.toFixed(1)} ms`);
  assert.deepEqual(proxy.stats(), { connections: 1, roundTrips: 6, pushes: 0, bytesUp: 6, bytesDown: 6 });
  proxy.resetStats();
  assert.equal(proxy.stats().roundTrips, 0);
});

test("bytes the server sends on its own count as pushes and take half a round trip", async (t) => {
  let serverSide: net.Socket | undefined;
  const echo = await echoServer((s) => {
    serverSide = s;
  });
  const proxy = await startLatencyProxy(echo.port, { rttMs: 80, handshake: false });
  t.after(async () => {
    await proxy.close();
    await echo.close();
  });
  const s = await connect(proxy.port);
  t.after(() => s.destroy());
  while (!serverSide) await new Promise((r) => setImmediate(r));
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    serverSide.write("event");
    await readBytes(s, 5);
    times.push(performance.now() - t0);
  }
  for (const ms of times) assert.ok(ms >= 38, `push took ${ms.toFixed(1)} ms`);
  assert.ok([...times].sort((a, b) => a - b)[1] < 70, `median push ${times.map((x) => x.toFixed(1)).join(", ")} ms`);
  assert.equal(proxy.stats().pushes, 3);
  assert.equal(proxy.stats().roundTrips, 0);
});

test("the bandwidth cap paces a large transfer; jitter never reorders bytes", async (t) => {
  const echo = await echoServer();
  const proxy = await startLatencyProxy(echo.port, { rttMs: 10, bandwidthBytesPerSec: 2_000_000, jitterMs: 8, seed: 5, handshake: false });
  t.after(async () => {
    await proxy.close();
    await echo.close();
  });
  const s = await connect(proxy.port);
  t.after(() => s.destroy());
  const payload = Buffer.alloc(400_000);
  for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
  const t0 = performance.now();
  // Many small writes, so jitter has chunks to reorder if it could.
  for (let i = 0; i < payload.length; i += 1000) s.write(payload.subarray(i, i + 1000));
  const back = await readBytes(s, payload.length);
  const ms = performance.now() - t0;
  // 400 kB at 2 MB/s is 200 ms up; the echo back overlaps it on the other direction.
  assert.ok(ms >= 195 && ms < 1500, `took ${ms.toFixed(0)} ms`);
  assert.ok(back.equals(payload), "bytes arrived in order and intact");
});

test("a server that answers and closes: the client gets every byte, then the end", async (t) => {
  const big = Buffer.alloc(3_000_000, 7);
  const echo = await echoServer((s) => {
    s.once("data", () => s.end(big));
  });
  const proxy = await startLatencyProxy(echo.port, { rttMs: 20 });
  t.after(async () => {
    await proxy.close();
    await echo.close();
  });
  const s = await connect(proxy.port);
  s.write("go");
  const got: Buffer[] = [];
  s.on("data", (d: Buffer) => got.push(d));
  await new Promise<void>((r) => s.once("end", () => r()));
  s.destroy();
  assert.equal(Buffer.concat(got).length, big.length);
  assert.equal(proxy.stats().roundTrips, 1);
});

test("events pushed on a connection after its last answer count as pushes, not round trips", async (t) => {
  let serverSide: net.Socket | undefined;
  const echo = await echoServer((s) => {
    serverSide = s;
    s.once("data", () => s.write("ok"));
  });
  // Each push is written only after the client saw the previous bytes, so the pause the proxy sees
  // between them is at least half the round trip (20 ms), by causality rather than by timing.
  const proxy = await startLatencyProxy(echo.port, { rttMs: 40, handshake: false });
  t.after(async () => {
    await proxy.close();
    await echo.close();
  });
  const s = await connect(proxy.port);
  t.after(() => s.destroy());
  s.write("hello");
  await readBytes(s, 2);
  for (let i = 0; i < 3; i++) {
    serverSide!.write("e");
    await readBytes(s, 1);
  }
  assert.equal(proxy.stats().roundTrips, 1);
  assert.equal(proxy.stats().pushes, 3);
});
