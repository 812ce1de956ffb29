// Workspace sync end to end: the real SDK against the local server, checked inside the sandbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { SyncCancelledError, SyncError, sandboxTarget, syncFolder, type SyncProgress } from "../../../../src/core/sync";
import { shellQuote } from "../../../../src/core/shell/quote";
import { startTestServer } from "../../local/helpers";
import { HOSTILE, archiveEntries, makeWorkspace, spyTarget } from "./fixture";

test("sync a folder into a sandbox and re-sync only what changed", async (t) => {
  const ts = await startTestServer();
  const tmp = await fs.mkdtemp(path.join(tmpdir(), "daytona-sync-e2e-"));
  t.after(async () => {
    await ts.stop();
    await fs.rm(tmp, { recursive: true, force: true });
  });
  const sb = await ts.daytona.create();
  const local = path.join(tmp, "work space");
  await fs.mkdir(local);
  const expected = await makeWorkspace(local);
  const remote = `/home/daytona/my app's $(dir)`;
  const cacheDir = path.join(tmp, "cache");
  const target = spyTarget(sandboxTarget(sb));
  // The output as printed (Daytona keeps the trailing newline), less one trailing newline for short assertions.
  const sh = async (cmd: string) => {
    const r = await sb.process.executeCommand(cmd, remote);
    assert.equal(r.exitCode, 0, r.result);
    return r.result.replace(/\n$/, "");
  };
  const stats = () => ts.server.stats();
  const resetStats = async () => {
    const r = await fetch(`${ts.server.apiUrl}/_local/stats/reset`, { method: "POST", headers: { authorization: `Bearer ${ts.server.token}` } });
    assert.ok(r.ok);
  };
  /** path -> sha256 of every regular file under the remote folder (outside .daytona-sync). */
  const remoteFiles = async (): Promise<Record<string, string>> => {
    const out = await sh(
      `find . -path ./.daytona-sync -prune -o -type f -printf '%P\\0' | sort -z | while IFS= read -r -d '' f; do printf '%s\\0%s\\0' "$f" "$(sha256sum < "$f" | cut -c1-64)"; done`,
    );
    const parts = out.split("\0").filter((_, i, a) => i < a.length - 1 || a[i] !== "");
    const rec: Record<string, string> = {};
    for (let i = 0; i < parts.length; i += 2) rec[parts[i]] = parts[i + 1];
    return rec;
  };
  const localSha = async (rel: string) => createHash("sha256").update(await fs.readFile(path.join(local, rel))).digest("hex");

  await t.test("a symlink pointing outside refuses the sync, naming it, before anything is sent", async () => {
    await resetStats();
    await assert.rejects(syncFolder(target, local, remote, { cacheDir }), (e: Error) => e instanceof SyncError && e.message.includes("link-out"));
    assert.equal(stats().requests, 0);
  });

  await t.test("cold sync: one archive, ignore rules, modes, links, empty dirs, hostile names", async () => {
    await resetStats();
    const phases = new Set<SyncProgress["phase"]>();
    const r = await syncFolder(target, local, remote, { cacheDir, outsideLinks: "skip", onProgress: (p) => phases.add(p.phase) });
    assert.equal(r.cold, true);
    assert.equal(r.roundTrips, 3); // manifest download (404), upload, apply
    assert.equal(stats().byRoute["POST /toolbox/:id/files/bulk-upload"], 1);
    assert.deepEqual(r.skipped.map((s) => s.path), ["link-out"]);
    assert.equal(r.uploadedFiles, Object.keys(expected).length + 1); // + link-in
    assert.deepEqual([...phases].sort(), ["apply", "pack", "scan", "upload"]);
    t.diagnostic(`cold: ${r.bytesSent} bytes sent, ${stats().bytesIn} bytes in at the server, ${r.roundTrips} round trips`);

    const want: Record<string, string> = {};
    for (const p of Object.keys(expected)) want[p] = await localSha(p);
    assert.deepEqual(await remoteFiles(), want);
    assert.equal(await sh("stat -c %a run.sh src/a.ts"), "755\n644");
    assert.equal(await sh("readlink link-in; test ! -e link-out && test ! -L link-out && echo no-out"), "src/a.ts\nno-out");
    assert.equal(await sh("test -d empty/inner && echo dir"), "dir");
    assert.equal(await sh("find /home /tmp -name pwned | wc -l"), "0");
    assert.equal(await sh("./run.sh"), "run");
    assert.equal(await sh(`cat ${shellQuote(`src/${HOSTILE}`)}`), "hostile");
  });

  await t.test("re-sync after one edit sends only that file, in 2 round trips", async () => {
    await fs.writeFile(path.join(local, "src/a.ts"), "export const a = 42; // edited\n");
    await resetStats();
    const before = target.uploads.length;
    const r = await syncFolder(target, local, remote, { cacheDir, outsideLinks: "skip" });
    assert.equal(r.cold, false);
    assert.equal(r.roundTrips, 2);
    assert.equal(r.uploadedFiles, 1);
    assert.equal(stats().requests, 2);
    assert.deepEqual(archiveEntries(target.uploads[before]), ["src/a.ts"]);
    const bytesIn = stats().bytesIn;
    t.diagnostic(`re-sync: ${r.bytesSent} bytes sent, ${bytesIn} bytes in at the server (both requests), ${r.roundTrips} round trips`);
    assert.ok(bytesIn < 4000, `bytesIn ${bytesIn}`);
    assert.equal((await remoteFiles())["src/a.ts"], await localSha("src/a.ts"));
  });

  await t.test("a local deletion is deleted remotely; an unchanged re-sync is one check", async () => {
    await fs.rm(path.join(local, "sub/visible.txt"));
    await fs.rm(path.join(local, "empty/inner"), { recursive: true });
    const r = await syncFolder(target, local, remote, { cacheDir, outsideLinks: "skip" });
    assert.equal(r.deletedFiles, 1);
    assert.equal(r.roundTrips, 2);
    assert.equal(await sh("test ! -e sub/visible.txt && test ! -e empty/inner && test -d empty && echo gone"), "gone");
    const again = await syncFolder(target, local, remote, { cacheDir, outsideLinks: "skip" });
    assert.deepEqual([again.roundTrips, again.uploadedFiles, again.bytesSent], [1, 0, 0]);
  });

  await t.test("another machine's sync (stale cache) is detected and diffed against the remote manifest", async () => {
    const otherCache = path.join(tmp, "cache-other");
    await fs.writeFile(path.join(local, "sub/new.txt"), "from the other machine\n");
    const fresh = await syncFolder(target, local, remote, { cacheDir: otherCache, outsideLinks: "skip" });
    assert.equal(fresh.cold, false);
    assert.equal(fresh.uploadedFiles, 1); // a fresh machine hashes everything but sends only the difference
    assert.equal(fresh.roundTrips, 3);
    await fs.writeFile(path.join(local, "run.sh"), "#!/bin/sh\necho run again\n");
    const stale = await syncFolder(target, local, remote, { cacheDir, outsideLinks: "skip" });
    assert.equal(stale.roundTrips, 5); // upload + refused apply, manifest download, upload + apply
    const files = await remoteFiles();
    assert.equal(files["sub/new.txt"], await localSha("sub/new.txt"));
    assert.equal(files["run.sh"], await localSha("run.sh"));
    assert.equal(await sh("./run.sh && stat -c %a run.sh"), "run again\n755");
  });
});

test("cancel mid-upload of a large folder leaves the remote tree as it was", async (t) => {
  const ts = await startTestServer();
  const tmp = await fs.mkdtemp(path.join(tmpdir(), "daytona-sync-cancel-"));
  t.after(async () => {
    await ts.stop();
    await fs.rm(tmp, { recursive: true, force: true });
  });
  const sb = await ts.daytona.create();
  const target = sandboxTarget(sb);
  const stats = () => ts.server.stats();
  const resetStats = async () => {
    const r = await fetch(`${ts.server.apiUrl}/_local/stats/reset`, { method: "POST", headers: { authorization: `Bearer ${ts.server.token}` } });
    assert.ok(r.ok);
  };
  const big = path.join(tmp, "big");
  await fs.mkdir(big);
  await fs.writeFile(path.join(big, "first.txt"), "first\n");
  const bigRemote = "/home/daytona/big";
  await syncFolder(target, big, bigRemote, { compression: "none" });
  const sbTree = async () => {
    const r = await sb.process.executeCommand("find . | sort; cat .daytona-sync/manifest", bigRemote);
    assert.equal(r.exitCode, 0, r.result);
    return r.result;
  };
  const tree = await sbTree();
  for (let i = 0; i < 24; i++) await fs.writeFile(path.join(big, `blob-${i}.bin`), randomBytes(1024 * 1024));
  await fs.writeFile(path.join(big, "first.txt"), "changed\n");
  const ac = new AbortController();
  await resetStats();
  await assert.rejects(
    syncFolder(target, big, bigRemote, {
      compression: "none",
      signal: ac.signal,
      onProgress: (p) => p.phase === "upload" && p.done > 8 * 1024 * 1024 && ac.abort(),
    }),
    SyncCancelledError,
  );
  assert.equal(stats().byRoute["POST /toolbox/:id/process/execute"] ?? 0, 0);
  // The sandbox drops the cut-off upload (a hidden staging file) once it has written what was
  // already on its way: the tree is as it was within a moment, and never shows the new files.
  let now = await sbTree();
  for (let i = 0; i < 20 && now !== tree; i++) {
    assert.ok(!now.includes("blob-") && !now.includes("changed"), now);
    await new Promise((r) => setTimeout(r, 250));
    now = await sbTree();
  }
  assert.equal(now, tree);
  const r = await syncFolder(target, big, bigRemote, { compression: "none" });
  assert.equal(r.uploadedFiles, 25);
  assert.equal((await sb.process.executeCommand(`cat ${bigRemote}/first.txt`)).result, "changed\n");
});
