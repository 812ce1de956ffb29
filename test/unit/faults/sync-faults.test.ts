// Workspace sync against a server that fails: under injected 5xx a sync either completes or fails with
// a clear error, and the remote folder is always the old tree or the new one, never a mix; a retry
// completes. With the server restarted in the middle of an upload, the sync fails clearly and nothing
// is half-extracted; the next sync completes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { sandboxTarget, syncFolder } from "../../../src/core/sync";
import { startTestServer, type TestServer } from "../local/helpers";
import { remoteFiles, remoteTree, restart, writeTree } from "./helpers";

const V1: Record<string, string> = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`src/f${i}.txt`, `v1 ${i}\n`]));
const CHANGES: Record<string, string | null> = { "src/f0.txt": "v2 0\n", "src/f1.txt": "v2 1\n", "src/f2.txt": null, "src/f3.txt": null, "new/a.txt": "added\n", "new/b.txt": "added b\n" };
const V2: Record<string, string> = (() => {
  const out = { ...V1 };
  for (const [k, v] of Object.entries(CHANGES)) if (v === null) delete out[k];
  else out[k] = v;
  return out;
})();

test("sync under 5xx: each attempt completes or fails clearly, the remote tree is never half-applied, a retry completes", async (t) => {
  const tmp = fs.mkdtempSync(path.join(tmpdir(), "daytona-fault-sync-"));
  let ts: TestServer = await startTestServer();
  t.after(async () => {
    await ts.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const local = path.join(tmp, "ws");
  writeTree(local, V1);
  const sb = await ts.daytona.create();
  const remote = "/home/daytona/fault-sync-5xx";
  const cacheDir = path.join(tmp, "cache");
  await syncFolder(sandboxTarget(sb), local, remote, { cacheDir });
  const remoteNow = () => remoteTree(ts.dataDir, sb.id, remote);
  assert.deepEqual(await remoteNow(), V1);

  ts = await restart(ts, "5xx=0.35,seed=3");
  writeTree(local, CHANGES);
  const outcomes: string[] = [];
  for (let i = 0; i < 30 && !outcomes.includes("done"); i++) {
    try {
      await syncFolder(sandboxTarget(sb), local, remote, { cacheDir });
      outcomes.push("done");
      assert.deepEqual(await remoteNow(), V2);
    } catch (e) {
      const msg = (e as Error).message;
      outcomes.push(`failed: ${msg}`);
      assert.match(msg, /503|Service Unavailable|unavailable/i, "the error says the server failed");
      const now = await remoteNow();
      assert.ok(isDeepStrictEqual(now, V1) || isDeepStrictEqual(now, V2), `half-applied after: ${msg}\n${JSON.stringify(now)}`);
    }
  }
  t.diagnostic(`attempts: ${outcomes.length}; ${outcomes.filter((o) => o !== "done").length} failed first`);
  assert.ok(outcomes.length >= 2, "the injected faults made at least one attempt fail (seeded)");
  assert.equal(outcomes.at(-1), "done", outcomes.join("\n"));
  assert.ok(ts.server.stats().faults.injected5xx > 0);
});

test("sync with the server restarted mid-upload: fails clearly, nothing half-extracted, the next sync completes", async (t) => {
  const tmp = fs.mkdtempSync(path.join(tmpdir(), "daytona-fault-restart-"));
  // A 16 MB/s link: the 48 MB upload takes 3 s, so the restart (begun after 4 MB) always lands in
  // the middle of it, however slow the machine is to stop the server.
  let ts: TestServer = await startTestServer({ link: { rttMs: 2, bandwidthBytesPerSec: 16_000_000 } });
  t.after(async () => {
    await ts.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const local = path.join(tmp, "ws");
  writeTree(local, { "small.txt": "small\n" });
  // Incompressible, so compression does not shorten the upload.
  fs.writeFileSync(path.join(local, "big.bin"), randomBytes(48 * 1024 * 1024));
  const sb = await ts.daytona.create();
  const remote = "/home/daytona/fault-sync-restart";
  let restarting: Promise<void> | undefined;
  const first = syncFolder(sandboxTarget(sb), local, remote, {
    cacheDir: path.join(tmp, "cache"),
    compression: "none",
    onProgress: (p) => {
      if (p.phase === "upload" && p.done > 4 * 1024 * 1024 && !restarting) {
        restarting = (async () => {
          ts = await restart(ts, "");
        })();
      }
    },
  }).then(
    () => "completed",
    (e: Error) => `failed: ${e.message}`,
  );
  const outcome = await first;
  await restarting;
  t.diagnostic(`first sync: ${outcome}`);
  assert.ok(restarting, "the restart happened during the upload");
  assert.match(outcome, /^failed: .+/, "an upload cut by a restart fails");
  assert.deepEqual(await remoteTree(ts.dataDir, sb.id, remote), {}, "nothing was extracted from a cut upload");
  const again = await syncFolder(sandboxTarget(await ts.daytona.get(sb.id)), local, remote, { cacheDir: path.join(tmp, "cache"), compression: "none" });
  assert.equal(again.uploadedFiles, 2);
  const after = await remoteFiles(ts.dataDir, sb.id, remote);
  assert.equal(after["small.txt"].toString(), "small\n");
  assert.equal(after["big.bin"].length, 48 * 1024 * 1024);
});
