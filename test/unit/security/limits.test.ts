// Issue 13, resource limits: a sandbox created with memory 1 (GiB) cannot hold 1.5 GiB; it has a
// pids limit of its own and cannot start more processes than it; a fork bomb stays inside that limit
// while the host and another sandbox keep answering. The fork bomb only runs when a finite pids limit
// of the sandbox's own is in place (otherwise it would take this shared machine): without one the test
// fails without bombing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import type { Sandbox } from "@daytonaio/sdk";
import { py, sh, sleep, startLab } from "./attack";

const MAX_SAFE_PIDS = 4096;

// Touch 64 MiB blocks up to the given MiB; prints the total after each block.
const ALLOCATE = `
import sys
total = int(sys.argv[1]); blocks = []; got = 0
while got < total:
    b = bytearray(64 * 1024 * 1024)
    for i in range(0, len(b), 4096): b[i] = 1
    blocks.append(b); got += 64
    print("ALLOCATED", got, flush=True)
`;

// Start N sleeping children (fork + exec), print how many started, then kill them.
const SPAWN = `
import os, signal, sys
n = int(sys.argv[1]); pids = []
for i in range(n):
    try:
        pid = os.fork()
    except OSError as e:
        print("FORK_FAILED", i, e); break
    if pid == 0:
        try:
            os.execvp("sleep", ["sleep", "30"])
        finally:
            os._exit(127)
    pids.append(pid)
print("STARTED", len(pids), flush=True)
for p in pids:
    try: os.kill(p, signal.SIGKILL)
    except OSError: pass
for p in pids:
    try: os.waitpid(p, 0)
    except OSError: pass
`;

/** The sandbox's own pids limit (cgroup v2 or v1), or undefined when there is none. */
async function pidsLimit(sb: Sandbox): Promise<number | undefined> {
  const r = await sh(sb, "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || echo max");
  const n = Number(r.out.trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

test("issue 13: memory and pids limits", async (t) => {
  const lab = await startLab(t);
  // daytona-small: 1 cpu, 1 GiB memory, 3 GiB disk.
  const sb = await lab.ts.daytona.create({ name: "sec-limits", snapshot: "daytona-small" });
  assert.equal(sb.memory, 1);

  await t.test("memory 1 GiB: allocating 1.5 GiB fails", async () => {
    const r = await py(sb, ALLOCATE, ["1536"], 120);
    const got = Math.max(0, ...[...r.out.matchAll(/ALLOCATED (\d+)/g)].map((m) => Number(m[1])));
    assert.ok(got < 1536, `a sandbox with memory 1 held ${got} MiB`);
    assert.notEqual(r.exitCode, 0);
  });

  await t.test("pids beyond the sandbox's limit cannot start", async () => {
    const limit = await pidsLimit(sb);
    assert.ok(limit !== undefined && limit <= MAX_SAFE_PIDS, `pids limit ${limit ?? "none"}: expected a finite limit of at most ${MAX_SAFE_PIDS}`);
    const r = await py(sb, SPAWN, [String(limit + 16)], 120);
    const started = Number(/STARTED (\d+)/.exec(r.out)?.[1] ?? NaN);
    assert.ok(started < limit, `started ${started} processes with a pids limit of ${limit}:\n${r.out.slice(-300)}`);
  });

  await t.test("a fork bomb stays inside its sandbox; the host and another sandbox keep answering", async () => {
    const bomb = await lab.ts.daytona.create({ name: "sec-bomb", snapshot: "daytona-small" });
    const limit = await pidsLimit(bomb);
    assert.ok(limit !== undefined && limit <= MAX_SAFE_PIDS, `pids limit ${limit ?? "none"}: fork bomb not attempted`);
    await bomb.process.createSession("bomb");
    await bomb.process.executeSessionCommand("bomb", { command: "timeout -s KILL 20 bash -c 'b(){ b | b & }; b'", runAsync: true });
    await sleep(5000);
    const t0 = Date.now();
    execFileSync("true");
    const hostMs = Date.now() - t0;
    const other = await sh(sb, "echo alive", 30);
    assert.equal(other.out.trim(), "alive");
    assert.ok(hostMs < 2000, `spawning a process on the host took ${hostMs} ms during the bomb`);
    await lab.ts.daytona.delete(bomb, 120);
  });
});
