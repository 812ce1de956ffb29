// What a server leaves on the Docker engine, counted by its instance label: deleting a sandbox removes
// its container and any image only it used; deleting a snapshot removes its image once no sandbox
// (an archived one included) needs it; a purge (the test harnesses' clean-up) removes everything of its
// instance and nothing of another's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import type { Sandbox } from "@daytonaio/sdk";
import { INSTANCE_LABEL } from "../../../src/local/runtime/containers";
import { INSTANCE_FILE } from "../../../src/local/runtime/index";
import { removeInstance } from "../../../src/local/runtime/reconcile";
import { sleep, startTestServer } from "./helpers";

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const repoRoot = path.resolve(__dirname, "..", "..", "..");

async function objects(dataDir: string): Promise<{ containers: number; images: number }> {
  const instance = fs.readFileSync(path.join(dataDir, INSTANCE_FILE), "utf8").trim();
  const filters = { label: [`${INSTANCE_LABEL}=${instance}`] };
  return { containers: (await docker.listContainers({ all: true, filters })).length, images: (await docker.listImages({ filters })).length };
}

async function until(what: string, cond: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function deleted(sb: Sandbox): Promise<void> {
  await sb.delete();
  await until(`${sb.id} deleted`, async () => {
    try {
      await sb.refreshData();
      return false;
    } catch {
      return true;
    }
  });
}

test("delete takes a sandbox's container and what only it used; a snapshot's image goes when no sandbox needs it", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { daytona, dataDir } = ts;
  const a = await daytona.create();
  await a.fs.uploadFile(Buffer.from("from a"), "/home/daytona/a.txt");
  await a.createSnapshot("cleanup-x");
  await a.createSnapshot("cleanup-y");
  const b = await daytona.create({ snapshot: "cleanup-x" });
  const f = await a.fork();
  assert.deepEqual(await objects(dataDir), { containers: 3, images: 3 }, "a, b, the fork; two snapshot images and the fork's");

  await daytona.snapshot.delete(await daytona.snapshot.get("cleanup-x"));
  assert.deepEqual(await objects(dataDir), { containers: 3, images: 3 }, "b still uses the deleted snapshot's image");
  await deleted(b);
  assert.deepEqual(await objects(dataDir), { containers: 2, images: 2 }, "b's delete took the image only it used");
  await deleted(f);
  assert.deepEqual(await objects(dataDir), { containers: 1, images: 1 }, "the fork's delete took its image");

  // An archived sandbox's file holds only its changes on top of its snapshot's image: the image stays.
  const c = await daytona.create({ snapshot: "cleanup-y" });
  await c.fs.uploadFile(Buffer.from("from c"), "/home/daytona/c.txt");
  await c.stop();
  await c.archive();
  await until("c archived", async () => (await c.refreshData(), c.state === "archived"));
  await daytona.snapshot.delete(await daytona.snapshot.get("cleanup-y"));
  assert.deepEqual(await objects(dataDir), { containers: 1, images: 1 }, "the archived sandbox keeps the snapshot's image");
  await c.start(60);
  assert.equal((await c.fs.downloadFile("/home/daytona/a.txt")).toString(), "from a");
  assert.equal((await c.fs.downloadFile("/home/daytona/c.txt")).toString(), "from c");
  assert.deepEqual(await objects(dataDir), { containers: 2, images: 2 }, "c's container and the image its archive loaded");
  await deleted(c);
  await deleted(a);
  assert.deepEqual(await objects(dataDir), { containers: 0, images: 0 });
});

test("purge on exit and local-server --purge remove their instance's objects, never another's", async (t) => {
  const keepDir = await mkdtemp(path.join(tmpdir(), "daytona-purge-"));
  const otherDir = await mkdtemp(path.join(tmpdir(), "daytona-purge-other-"));
  t.after(async () => {
    await removeInstance(keepDir);
    await removeInstance(otherDir);
    await rm(keepDir, { recursive: true, force: true });
    await rm(otherDir, { recursive: true, force: true });
  });
  const other = await startTestServer({ dataDir: otherDir });
  t.after(() => other.stop());
  const theirs = await other.daytona.create();
  await theirs.createSnapshot("purge-theirs");

  // A server stopped normally leaves its (stopped) containers and images: --purge takes them.
  const kept = await startTestServer({ dataDir: keepDir });
  const sb = await kept.daytona.create();
  await sb.createSnapshot("purge-mine");
  await kept.stopServer();
  assert.deepEqual(await objects(keepDir), { containers: 1, images: 1 });
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "src/local/main.ts"), "--purge", "--data", keepDir], { cwd: repoRoot, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { containers: 1, images: 1, networks: 0, volumes: 0 });
  assert.deepEqual(await objects(keepDir), { containers: 0, images: 0 });

  // purgeOnExit: the server's own stop removes what it had.
  const purging = await startTestServer({ dataDir: keepDir, purgeOnExit: true });
  const sb2 = await purging.daytona.create();
  await sb2.fork();
  assert.deepEqual(await objects(keepDir), { containers: 2, images: 1 });
  await purging.stopServer();
  assert.deepEqual(await objects(keepDir), { containers: 0, images: 0 });

  assert.deepEqual(await objects(otherDir), { containers: 1, images: 1 }, "the other instance's sandbox and snapshot stay");
  await theirs.refreshData();
  assert.equal(theirs.state, "started");
});
