// The extension's fork (core/daytona/snapshotFork.forkSandbox) against the local server: the fork
// carries its parent's labels plus the forked-from label, is started, and costs the fork POST, the
// labels PUT and the SDK wait's state GETs only (one, plus one a second while it waits); the record
// it returns is taken by the sandbox store even when the store already holds the fork's (newer,
// unlabelled) "started" event.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DaytonaClient } from "../../../src/core/daytona/client";
import { SandboxStore } from "../../../src/core/daytona/sandboxStore";
import { FORKED_FROM_LABEL } from "../../../src/core/daytona/records";
import { forkSandbox } from "../../../src/core/daytona/snapshotFork";
import { startTestServer } from "./helpers";

test("fork: labelled as its parent's child, started, 3 requests, and the store keeps the labels", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const client = new DaytonaClient({ apiUrl: ts.server.apiUrl, apiKey: ts.server.token, target: "local" });
  t.after(() => client.dispose());
  const parent = await client.createSandbox({ name: "fork-parent", labels: { team: "a" } });
  await client.toolbox(parent.id); // the handle a running extension holds already

  const before = { ...ts.server.stats().byRoute };
  const t0 = performance.now();
  const rec = await forkSandbox(client, parent, "fork-child", 60);
  const ms = performance.now() - t0;
  const after = ts.server.stats().byRoute;
  const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  assert.equal(delta("POST /sandbox/:id/fork"), 1);
  assert.equal(delta("PUT /sandbox/:id/labels"), 1);
  // The SDK's wait checks the state once at its start and, while events stream, once a second as a
  // safety net; no read follows the labels write (that would be one more).
  assert.ok(delta("GET /sandbox/:id") <= 1 + Math.floor(ms / 1000), `${JSON.stringify(after)} in ${ms.toFixed(0)} ms`);

  assert.equal(rec.state, "started");
  assert.equal(rec.name, "fork-child");
  assert.equal(parent.labels.team, "a");
  assert.deepEqual(rec.labels, { ...parent.labels, [FORKED_FROM_LABEL]: parent.id });
  assert.equal(rec.parentId, parent.id);
  // The server agrees.
  const fresh = await client.getSandbox(rec.id);
  assert.deepEqual(fresh.labels, rec.labels);

  // The view's store holds the fork as its "started" event left it: newer than the fork's POST, no labels.
  const store = new SandboxStore();
  store.upsert({ ...fresh, labels: {}, parentId: undefined, updatedAt: new Date(Date.now() + 60_000).toISOString() });
  store.upsert(rec);
  assert.equal(store.get(rec.id)?.parentId, parent.id);
  assert.deepEqual(store.get(rec.id)?.labels, rec.labels);
  await client.delete(rec.id);
  await client.delete(parent.id);
});
