// A restart on the same data dir keeps sandboxes (started ones come back started), snapshots and files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startTestServer } from "./helpers";
import { removeInstance } from "../../../src/local/runtime/reconcile";

test("sandboxes, snapshots and files survive a restart", async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "daytona-restart-"));
  t.after(async () => {
    await removeInstance(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });
  const first = await startTestServer({ dataDir, token: "restart-token" });
  let firstStopped = false;
  t.after(async () => {
    if (!firstStopped) await first.stop();
  });
  const running = await first.daytona.create({ name: "keeps-running", labels: { k: "v" } });
  await running.fs.uploadFile(Buffer.from("persisted"), "/home/daytona/p.txt");
  const stopped = await first.daytona.create({ name: "keeps-stopped" });
  await stopped.stop();
  await running.createSnapshot("persisted-snap");
  await first.stop();
  firstStopped = true;

  const second = await startTestServer({ dataDir, token: "restart-token" });
  t.after(() => second.stop());
  const r = await second.daytona.get("keeps-running");
  assert.equal(r.id, running.id);
  assert.equal(r.state, "started");
  assert.deepEqual(r.labels, running.labels);
  assert.equal((await r.fs.downloadFile("/home/daytona/p.txt")).toString(), "persisted");
  const s = await second.daytona.get("keeps-stopped");
  assert.equal(s.state, "stopped");
  const snap = await second.daytona.snapshot.get("persisted-snap");
  assert.equal(snap.state, "active");
  const fromSnap = await second.daytona.create({ snapshot: "persisted-snap" });
  assert.equal((await fromSnap.fs.downloadFile("/home/daytona/p.txt")).toString(), "persisted");
});
