// The reusable Docker-in-Docker snapshot per resource shape: two bring-ups racing to make it both end
// with one active snapshot (one creates, the other sees the conflict and waits), and a third finds it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DaytonaClient } from "../../../../src/core/daytona/client";
import { startTestServer } from "../../local/helpers";

test("two racing ensureSnapshot calls make one snapshot; both succeed", async (t) => {
  const ts = await startTestServer();
  const client = new DaytonaClient({ apiUrl: ts.server.apiUrl, apiKey: ts.server.token, target: "local" });
  t.after(async () => {
    await client.dispose();
    await ts.stop();
  });
  const p = { name: "vscode-dind-2cpu-3gb-0gpu", image: "docker:28.3.3-dind", resources: { cpu: 2, memory: 3 } };
  const logs: string[] = [];
  const results = await Promise.all([client.ensureSnapshot(p, { pollMs: 50, onLogs: (l) => logs.push(l) }), client.ensureSnapshot(p, { pollMs: 50, onLogs: (l) => logs.push(l) })]);
  assert.deepEqual([...results].sort(), ["created", "existed"], `results: ${results}; logs: ${logs.join(" | ")}`);
  const named = (await client.listSnapshots()).filter((s) => s.name === p.name);
  assert.equal(named.length, 1, "exactly one snapshot of that name");
  assert.equal(named[0].state, "active");
  assert.equal(await client.ensureSnapshot(p, { pollMs: 50 }), "existed", "a later bring-up reuses it");
});
