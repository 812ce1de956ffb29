// syncFolder against a folder on this machine: the same apply script run by bash here, so kind changes,
// cancellation and corrupt manifests are checked quickly and without a server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { createWriteStream } from "node:fs";
import { SyncCancelledError, syncFolder, type SyncTarget } from "../../../../src/core/sync";

function localTarget(calls: string[]): SyncTarget {
  return {
    id: "local",
    async upload(source, remotePath, signal) {
      calls.push("upload");
      await fs.mkdir(path.dirname(remotePath), { recursive: true });
      await pipeline(source, createWriteStream(remotePath), { signal });
    },
    exec(command, cwd) {
      calls.push("exec");
      return new Promise((resolve) => execFile("bash", ["-c", command], { cwd }, (err, stdout, stderr) =>
        resolve({ exitCode: err ? Number(err.code ?? 1) : 0, output: stdout + stderr })));
    },
    async download(remotePath) {
      calls.push("download");
      return fs.readFile(remotePath).catch(() => undefined);
    },
  };
}

async function dirs(t: { after(fn: () => Promise<void>): void }) {
  const root = await fs.mkdtemp(path.join(tmpdir(), "sync-local-"));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  await fs.mkdir(path.join(root, "src"));
  return { src: path.join(root, "src"), dst: path.join(root, "dst"), cache: path.join(root, "cache") };
}

const listing = async (dir: string) => (await fs.readdir(dir, { recursive: true })).filter((p) => !p.startsWith(".daytona-sync")).sort();

test("kind changes: file -> dir, dir -> file, file -> link, and a corrupt remote manifest", async (t) => {
  const { src, dst, cache } = await dirs(t);
  await fs.writeFile(path.join(src, "a"), "file a");
  await fs.mkdir(path.join(src, "b/c"), { recursive: true });
  await fs.writeFile(path.join(src, "b/c/f"), "f");
  await fs.writeFile(path.join(src, "l"), "was a file");
  const calls: string[] = [];
  await syncFolder(localTarget(calls), src, dst, { cacheDir: cache });
  await fs.rm(path.join(src, "a"));
  await fs.mkdir(path.join(src, "a"));
  await fs.writeFile(path.join(src, "a/inner"), "now a dir");
  await fs.rm(path.join(src, "b"), { recursive: true });
  await fs.writeFile(path.join(src, "b"), "now a file");
  await fs.rm(path.join(src, "l"));
  await fs.symlink("b", path.join(src, "l"));
  const r = await syncFolder(localTarget(calls), src, dst, { cacheDir: cache });
  assert.equal(r.roundTrips, 2);
  assert.deepEqual(await listing(dst), ["a", "a/inner", "b", "l"]);
  assert.equal(await fs.readFile(path.join(dst, "b"), "utf8"), "now a file");
  assert.equal(await fs.readlink(path.join(dst, "l")), "b");

  await fs.writeFile(path.join(dst, ".daytona-sync/manifest"), "garbage\n");
  const again = await syncFolder(localTarget(calls), src, dst, {});
  assert.equal(again.cold, true);
  assert.match(await fs.readFile(path.join(dst, ".daytona-sync/manifest"), "utf8"), /^#daytona-sync-manifest 1 /);
});

test("cancel during the upload: no apply runs, the remote folder is unchanged, nothing is cached", async (t) => {
  const { src, dst, cache } = await dirs(t);
  await fs.writeFile(path.join(src, "first.txt"), "first");
  const calls: string[] = [];
  await syncFolder(localTarget(calls), src, dst, { cacheDir: cache });
  const before = await fs.readFile(path.join(dst, ".daytona-sync/manifest"), "utf8");
  for (let i = 0; i < 12; i++) await fs.writeFile(path.join(src, `blob-${i}`), randomBytes(512 * 1024));
  const ac = new AbortController();
  calls.length = 0;
  await assert.rejects(
    syncFolder(localTarget(calls), src, dst, { cacheDir: cache, signal: ac.signal, onProgress: (p) => p.phase === "upload" && p.done > 1024 * 1024 && ac.abort() }),
    SyncCancelledError,
  );
  assert.deepEqual(calls, ["upload"]);
  assert.deepEqual(await listing(dst), ["first.txt"]);
  assert.equal(await fs.readFile(path.join(dst, ".daytona-sync/manifest"), "utf8"), before);
  const r = await syncFolder(localTarget(calls), src, dst, { cacheDir: cache });
  assert.equal(r.uploadedFiles, 12);
  assert.equal((await listing(dst)).length, 13);
});
