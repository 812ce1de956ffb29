// The interval-driven transitions, with a short "minute" (minuteMs): auto-stop after inactivity,
// auto-archive after stopped, auto-delete (0 = as soon as it stops), refreshActivity holding off
// auto-stop, the pushed socket.io events for each; archive ends in archived and start works from it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dueAction } from "../../../src/local/api/autoLifecycle";
import type { SandboxRecord } from "../../../src/local/store/records";
import { sleep, startTestServer } from "./helpers";

const MINUTE = 400;

function sandboxRecord(over: Partial<SandboxRecord>): SandboxRecord {
  const now = new Date().toISOString();
  return {
    id: "sbx",
    name: "sbx",
    organizationId: "local",
    user: "daytona",
    env: {},
    labels: {},
    public: false,
    networkBlockAll: false,
    target: "local",
    cpu: 1,
    gpu: 0,
    memory: 1,
    disk: 3,
    state: "started",
    autoStopInterval: 15,
    autoArchiveInterval: 10080,
    autoDeleteInterval: -1,
    createdAt: now,
    updatedAt: now,
    lastActivityAt: now,
    ...over,
  };
}

/** Each sandbox's pushed states in order, and when each (newState) arrived. */
interface Pushed {
  states: Map<string, string[]>;
  at: Map<string, Map<string, number>>;
}

async function pushedStates(ts: Awaited<ReturnType<typeof startTestServer>>, t: { after(fn: () => void): void }): Promise<Pushed> {
  const { io } = await import("socket.io-client");
  const socket = io(new URL(ts.server.apiUrl).origin, { path: "/api/socket.io/", transports: ["websocket"], auth: { token: ts.server.token } });
  t.after(() => socket.disconnect());
  const states = new Map<string, string[]>();
  const at = new Map<string, Map<string, number>>();
  socket.on("sandbox.state.updated", (e: { sandbox: { id: string; updatedAt: string }; oldState: string; newState: string }) => {
    const list = states.get(e.sandbox.id) ?? [];
    if (list.length === 0) list.push(e.oldState);
    list.push(e.newState);
    states.set(e.sandbox.id, list);
    const times = at.get(e.sandbox.id) ?? new Map<string, number>();
    // When the server changed the state (its record's clock), not when this socket heard of it: under
    // load the push of "started" came late enough to make 400 ms of idling look like 299.
    times.set(e.newState, Date.parse(e.sandbox.updatedAt));
    at.set(e.sandbox.id, times);
  });
  await new Promise<void>((resolve, reject) => {
    socket.on("connect", () => resolve());
    socket.on("connect_error", reject);
  });
  return { states, at };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("auto-stop, auto-archive and auto-delete act, with the states pushed", async (t) => {
  const ts = await startTestServer({ minuteMs: MINUTE, transitionMs: 30 });
  t.after(() => ts.stop());
  const { states, at } = await pushedStates(ts, t);
  const { daytona } = ts;

  // Creating a container takes longer than this test's "minute": a sandbox may be stopped (even
  // archived) before the next one is created, so the pushed states (and when they came) are the record.
  const a = await daytona.create({ name: "auto-a", autoStopInterval: 1, autoArchiveInterval: 1 });
  const d = await daytona.create({ name: "auto-d", autoStopInterval: 1, autoDeleteInterval: 0 });
  const keep = await daytona.create({ name: "auto-keep", autoStopInterval: 0 });

  await until("auto-a stopped", () => states.get(a.id)?.includes("stopped") === true, 10_000);
  const idle = (at.get(a.id)?.get("stopping") ?? 0) - (at.get(a.id)?.get("started") ?? Infinity);
  assert.ok(idle >= MINUTE, `stopped ${idle} ms after it started, before its interval`);
  // Archiving writes the archive file (the engine exports the whole image first: about 10 s here).
  await until("auto-a archived (pushed)", () => states.get(a.id)?.at(-1) === "archived", 60_000);
  await a.refreshData();
  assert.equal(a.state, "archived");
  assert.deepEqual(states.get(a.id)?.slice(-5), ["started", "stopping", "stopped", "archiving", "archived"]);
  // It starts again from archived, and its files are there.
  await a.start();
  assert.equal(a.state, "started");

  await until("auto-d deleted (pushed)", () => states.get(d.id)?.at(-1) === "destroyed", 10_000);
  await assert.rejects(daytona.get(d.id), /not found/i);
  assert.deepEqual(states.get(d.id)?.slice(-5), ["started", "stopping", "stopped", "destroying", "destroyed"]);

  await keep.refreshData();
  assert.equal(keep.state, "started", "autoStopInterval 0 never stops");
});

test("refreshActivity and toolbox use hold off auto-stop", async (t) => {
  // Activity every half "minute" plus the calls' own time: with 400 ms a loaded machine (two unit runs,
  // 3 CPU burners) spent the other half in the calls and the sandbox stopped, idle for real. A longer
  // minute here keeps the rounds well inside it.
  const MINUTE = 2000;
  const ts = await startTestServer({ minuteMs: MINUTE, transitionMs: 30 });
  t.after(() => ts.stop());
  // Creating a container takes longer than this test's "minute": the interval is set once it runs,
  // right after an activity (setting it is no activity itself).
  const sb = await ts.daytona.create({ autoStopInterval: 0 });
  await sb.refreshActivity();
  await sb.setAutostopInterval(1);
  for (let i = 0; i < 6; i++) {
    await sleep(MINUTE / 2);
    if (i % 2) await sb.refreshActivity();
    else await sb.fs.listFiles(".");
    await sb.refreshData();
    assert.equal(sb.state, "started", `stopped although active (round ${i})`);
  }
  await until("stopped once idle", async () => (await sb.refreshData(), sb.state === "stopped"), 3 * MINUTE);
});

test("archive ends in archived and start works at once, even while archiving", async (t) => {
  const ts = await startTestServer({ transitionMs: 300 });
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  await sb.fs.uploadFile(Buffer.from("kept"), "kept.txt");
  await sb.stop();
  await sb.archive();
  assert.ok(["archiving", "archived"].includes(sb.state ?? ""), sb.state);
  // The start waits for the archive file (the engine exports the whole image first: about 10 s here).
  await sb.start(60);
  assert.equal(sb.state, "started");
  assert.equal((await sb.fs.downloadFile("kept.txt")).toString(), "kept");
  await sb.stop();
  await sb.archive();
  // A commit, the engine's export and a container removal: seconds on a busy engine.
  await until("archived", async () => (await sb.refreshData(), sb.state === "archived"), 60_000);
  // Archiving an archived sandbox is a no-op; a started one is refused.
  await sb.archive();
  assert.equal(sb.state, "archived");
  await sb.start(60);
  await assert.rejects(sb.archive(), /Cannot archive/);
});

test("dueAction: Daytona's rules as a table", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  const at = (minAgo: number): string => new Date(now - minAgo * 60_000).toISOString();
  const rows: [Partial<SandboxRecord>, string | undefined][] = [
    [{ state: "started", autoStopInterval: 15, lastActivityAt: at(14) }, undefined],
    [{ state: "started", autoStopInterval: 15, lastActivityAt: at(15) }, "stop"],
    [{ state: "started", autoStopInterval: 0, lastActivityAt: at(9999) }, undefined],
    [{ state: "stopped", autoArchiveInterval: 60, autoDeleteInterval: -1, lastActivityAt: at(59) }, undefined],
    [{ state: "stopped", autoArchiveInterval: 60, autoDeleteInterval: -1, lastActivityAt: at(60) }, "archive"],
    [{ state: "stopped", autoArchiveInterval: 0, autoDeleteInterval: -1, lastActivityAt: at(60) }, undefined],
    [{ state: "stopped", autoArchiveInterval: 0, autoDeleteInterval: -1, lastActivityAt: at(30 * 24 * 60) }, "archive"],
    [{ state: "stopped", autoArchiveInterval: 60, autoDeleteInterval: 0, lastActivityAt: at(0) }, "delete"],
    [{ state: "stopped", autoArchiveInterval: 10, autoDeleteInterval: 30, lastActivityAt: at(30) }, "delete"],
    [{ state: "stopped", autoArchiveInterval: 10, autoDeleteInterval: 30, lastActivityAt: at(20) }, "archive"],
    [{ state: "archived", autoDeleteInterval: 0, lastActivityAt: at(999) }, undefined],
    [{ state: "stopping", autoStopInterval: 1, lastActivityAt: at(999) }, undefined],
  ];
  for (const [over, want] of rows) {
    assert.equal(dueAction(sandboxRecord(over), now, 60_000), want, JSON.stringify(over));
  }
});
