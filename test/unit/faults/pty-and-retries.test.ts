// Terminals through SandboxTarget when the server drops WebSockets: the connection ends as "dropped"
// (no exit code), the remote shell lives on, and reconnecting by id reaches the same shell.
// Commands that are not safe to repeat (process execute, sandbox create, fork) are sent exactly once
// when the server answers 503: nothing in core retries them blindly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SandboxTarget } from "../../../src/core/targets/sandboxTarget";
import { DaytonaClient } from "../../../src/core/daytona/client";
import { forkSandbox } from "../../../src/core/daytona/snapshotFork";
import { startTestServer, type TestServer } from "../local/helpers";
import { countRoutes, restart } from "./helpers";

const dec = new TextDecoder();

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("a PTY whose WebSocket is dropped reports a drop, and reconnecting by id reaches the same shell", async (t) => {
  const ts: TestServer = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const client = new DaytonaClient({ apiUrl: ts.server.apiUrl, apiKey: ts.server.token, target: "local" });
  t.after(() => client.dispose());
  // Each drop happens when the test asks for it, after the echo it waits for: never a race with a timer.
  const dropAll = async () => {
    const r = await fetch(`${ts.server.apiUrl}/_local/drop-ws`, { method: "POST", headers: { authorization: `Bearer ${ts.server.token}` } });
    return ((await r.json()) as { dropped: number }).dropped;
  };
  const target = await SandboxTarget.create(await client.toolbox(sb.id), "fault pty");
  let out = "";
  const id = `fault-pty-${Date.now()}`;
  const pty = await target.openPty({ id, cols: 80, rows: 24 }, (d) => (out += dec.decode(d)));
  await pty.send("export FAULT_MARK=kept; echo ready-$((40+2))\n");
  await until("the first echo", () => out.includes("ready-42"));
  assert.ok((await dropAll()) >= 1);
  const closed = await pty.closed();
  assert.equal(closed.exitCode, undefined, `a dropped connection is not an exit: ${JSON.stringify(closed)}`);
  assert.ok(ts.server.stats().faults.droppedWs >= 1);
  for (let round = 0; round < 2; round++) {
    let again = "";
    const conn = await target.reconnectPty(id, (d) => (again += dec.decode(d)));
    await conn.send(`echo "$FAULT_MARK-${round}"\n`);
    await until(`the echo after reconnect ${round}`, () => again.includes(`kept-${round}`));
    assert.ok((await dropAll()) >= 1);
    const c = await conn.closed();
    assert.equal(c.exitCode, undefined);
  }
  const last = await target.reconnectPty(id, () => undefined);
  await last.kill();
});

test("process execute, create and fork are sent once when the server answers 503", async (t) => {
  let ts: TestServer = await startTestServer();
  t.after(() => ts.stop());
  const parentSdk = await ts.daytona.create();
  ts = await restart(ts, "5xx=0.5,seed=5");
  const client = new DaytonaClient({ apiUrl: ts.server.apiUrl, apiKey: ts.server.token, target: "local", requestTimeoutMs: 10_000 });
  t.after(() => client.dispose());
  const headers = { authorization: `Bearer ${ts.server.token}` };
  const reset = () => fetch(`${ts.server.apiUrl}/_local/stats/reset`, { method: "POST", headers });
  const statsNow = async () => (await (await fetch(`${ts.server.apiUrl}/_local/stats`, { headers })).json()) as { byRoute: Record<string, number> };
  // Get the handles (safe GETs) until the faults let them through.
  const handle = async <T>(f: () => Promise<T>): Promise<T> => {
    for (let i = 0; ; i++) {
      try {
        return await f();
      } catch (e) {
        if (i > 30) throw e;
      }
    }
  };
  const target = await handle(async () => SandboxTarget.create(await client.toolbox(parentSdk.id), "faults"));
  const parent = await handle(() => client.getSandbox(parentSdk.id));

  const failures = { exec: 0, create: 0, fork: 0 };
  for (let i = 0; i < 8; i++) {
    await reset();
    const ok = await target.exec(["sh", "-c", "echo once >> /tmp/exec-count"]).then(() => true, () => false);
    if (!ok) failures.exec++;
    const s = await statsNow();
    // One POST to the toolbox per call: the execute route when it got through, the 503 route when not.
    assert.equal(countRoutes(s.byRoute, /^POST \/toolbox\/:id/), 1, JSON.stringify(s.byRoute));
  }
  for (let i = 0; i < 6; i++) {
    await reset();
    await client.createSandbox({ name: `fault-create-${i}` }, 20).catch(() => undefined);
    const s = await statsNow();
    assert.equal(countRoutes(s.byRoute, /^POST (\/sandbox|\/api\/sandbox \(503\))$/), 1, JSON.stringify(s.byRoute));
    if (countRoutes(s.byRoute, /^POST \/api\/sandbox \(503\)$/) === 1) failures.create++;
  }
  for (let i = 0; i < 10; i++) {
    await reset();
    await forkSandbox(client, parent, `fault-fork-${i}`, 20).catch(() => undefined);
    const s = await statsNow();
    // The fork's handle is fetched first (a GET that may itself fail): at most one fork POST.
    assert.ok(countRoutes(s.byRoute, /^POST (\/sandbox\/:id\/fork|\/api\/sandbox \(503\))$/) <= 1, JSON.stringify(s.byRoute));
    if (countRoutes(s.byRoute, /^POST \/api\/sandbox \(503\)$/) === 1) failures.fork++;
  }
  t.diagnostic(`calls answered 503 (and not repeated): ${JSON.stringify(failures)}`);
  assert.ok(failures.exec > 0 && failures.create > 0 && failures.fork > 0, `every kind met a 503 (seeded): ${JSON.stringify(failures)}`);
});
