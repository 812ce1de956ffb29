// State changes arrive by socket.io push: waits do not poll GET /sandbox/{id} once a second, and
// the SDK process can exit right after dispose.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer } from "./helpers";

test("waits are pushed, not polled", async (t) => {
  // The SDK refreshes once when a wait begins and then only as a 1 s safety net; with 300 ms
  // transitions a pushed event ends each wait before that net fires, so no second GET happens.
  // A warm container makes the create itself quick, so the SDK's net has no time to fire there either.
  const ts = await startTestServer({ transitionMs: 300, warmPool: 1 });
  t.after(() => ts.stop());
  const { daytona, server } = ts;
  const sb = await daytona.create();
  for (const step of [() => sb.stop(), () => sb.start()]) {
    const t0 = Date.now();
    await step();
    assert.ok(Date.now() - t0 < 900, `a wait took ${Date.now() - t0} ms: the event was not pushed`);
  }
  const gets = server.stats().byRoute["GET /sandbox/:id"] ?? 0;
  // create: 1 up-front refresh; stop: refreshDataSafe + 1; start: 1.
  assert.ok(gets <= 4, `expected at most 4 GETs of the sandbox, saw ${gets}`);
  assert.equal(server.stats().wsUpgrades, 1, "one socket.io connection");
});

test("sandbox.created and sandbox.state.updated reach a socket.io client", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { io } = await import("socket.io-client");
  const url = new URL(ts.server.apiUrl);
  const socket = io(url.origin, { path: "/api/socket.io/", transports: ["websocket"], auth: { token: ts.server.token } });
  t.after(() => socket.disconnect());
  const events: { name: string; data: { sandbox?: { id: string }; id?: string; newState?: string } }[] = [];
  socket.onAny((name: string, data: (typeof events)[number]["data"]) => {
    events.push({ name, data });
  });
  await new Promise<void>((resolve, reject) => {
    socket.on("connect", () => resolve());
    socket.on("connect_error", reject);
  });
  // The SDK's own socket may see "started" before this one does (under load, by more than a second):
  // wait for this socket's event itself.
  const started = new Promise<(typeof events)[number]["data"]>((resolve) =>
    socket.on("sandbox.state.updated", (data: (typeof events)[number]["data"]) => data.newState === "started" && resolve(data)),
  );
  const sb = await ts.daytona.create();
  const created = events.find((e) => e.name === "sandbox.created" && e.data.id === sb.id);
  assert.equal(created?.data.id, sb.id);
  assert.equal((await started).sandbox?.id, sb.id);
});
