// Archive writes the sandbox's changes to a file in the data dir and takes the container and its image
// off the engine; start-from-archived loads it back. The file holds only what the sandbox changed (the
// engine keeps the base layers), also after a second archive of a restored sandbox; a missing base is a
// clear error; start-up removes half-written files; delete removes the file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { text as streamText } from "node:stream/consumers";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { Readable, Writable } from "node:stream";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { Daytona } from "@daytonaio/sdk";
import * as tarStream from "tar-stream";
import type { SandboxRuntime, SandboxRuntimeInfo } from "../../../src/local/contract";
import { createRuntime } from "../../../src/local/runtime/index";
import { chainIds, legacyLayerId, readArchiveMeta, writeArchive } from "../../../src/local/runtime/archiveTar";
import { imageRef, INSTANCE_LABEL, instanceId } from "../../../src/local/runtime/containers";
import { removeInstance } from "../../../src/local/runtime/reconcile";
import { runtimeDataDir, startCli } from "./cli";

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const info = (id: string): SandboxRuntimeInfo => ({ id, user: "daytona", env: {}, networkBlockAll: false });

const tmpData = (t: { after(fn: () => Promise<void>): void }): string => runtimeDataDir(t, "rt-archive-");

async function sh(rt: SandboxRuntime, sb: SandboxRuntimeInfo, command: string, user?: string): Promise<string> {
  const p = await rt.spawn(sb, ["/bin/bash", "-c", command], user ? { user } : {});
  // Output read to its end with the exit (the exit can be known before the last bytes are read).
  const [stdout, stderr, code] = await Promise.all([streamText(p.stdout), streamText(p.stderr), p.exited]);
  const out = stdout + stderr;
  assert.equal(code, 0, `${command}: ${out}`);
  return out.trim();
}

/** Engine objects (containers, images) carrying this data dir's instance label. */
async function engineObjects(dataDir: string): Promise<{ containers: number; images: number }> {
  const filters = { label: [`${INSTANCE_LABEL}=${instanceId(fs.realpathSync(dataDir))}`] };
  return { containers: (await docker.listContainers({ all: true, filters })).length, images: (await docker.listImages({ filters })).length };
}

test("chain ids as the engine computes them", () => {
  const a = "sha256:5342631a770688aa686cd0a7028fe9525b2986b7c0bb9b69411f9f2b75d9cefc";
  const b = "sha256:77fc88e8c4d92ab346609455eb44b9471b806678cc06ebe1713aaf1f59010f1a";
  const [c0, c1] = chainIds([a, b]);
  assert.equal(c0, a);
  assert.match(c1, /^sha256:[0-9a-f]{64}$/);
  assert.notEqual(c1, b);
});

test("archive: a file of what the sandbox changed, nothing left on the engine; start from archived brings it back, twice", async (t) => {
  const dataDir = tmpData(t);
  const rt = await createRuntime({ dataDir });
  t.after(() => rt.close());
  const sb = info(`arc-${process.pid}`);
  await rt.create(sb, rt.baseImage);
  const sum = await sh(rt, sb, "head -c 50000000 /dev/urandom > ~/blob && sha256sum ~/blob | cut -d' ' -f1");
  await sh(rt, sb, "rm /etc/motd && chown daytona /opt", "root");
  await rt.stop(sb.id);

  const t0 = Date.now();
  const arc = await rt.archive(sb.id);
  const archiveMs = Date.now() - t0;
  assert.equal(arc.file, path.join(fs.realpathSync(dataDir), "archives", `${sb.id}.tar`));
  // 50 MB of changes, not the 800 MB image it was made from.
  assert.ok(arc.sizeBytes > 50e6 && arc.sizeBytes < 55e6, `archive is ${arc.sizeBytes} bytes`);
  assert.equal(fs.statSync(arc.file).size, arc.sizeBytes);
  assert.equal(await rt.status(sb.id), "missing");
  assert.deepEqual(await engineObjects(dataDir), { containers: 0, images: 0 }, "no container and no archive image left on the engine");
  assert.equal(await rt.hasArchive(sb.id), true);

  const t1 = Date.now();
  await rt.restore(sb);
  const restoreMs = Date.now() - t1;
  assert.equal(await rt.hasArchive(sb.id), false, "the file goes once the container is back");
  assert.equal(fs.existsSync(arc.file), false);
  assert.equal(await sh(rt, sb, "sha256sum ~/blob | cut -d' ' -f1"), sum);
  assert.equal(await sh(rt, sb, "test ! -e /etc/motd && stat -c %U /opt && id -un"), "daytona\ndaytona");
  t.diagnostic(`archive ${archiveMs} ms, start from archived ${restoreMs} ms, file ${arc.sizeBytes} bytes`);

  // A restored sandbox archived again: its earlier changes and the new ones, still without the base.
  await sh(rt, sb, "head -c 1000000 /dev/urandom > ~/more");
  await rt.stop(sb.id);
  const again = await rt.archive(sb.id);
  assert.ok(again.sizeBytes > 51e6 && again.sizeBytes < 56e6, `second archive is ${again.sizeBytes} bytes`);
  assert.deepEqual(await engineObjects(dataDir), { containers: 0, images: 0 }, "the first restore's image went with the second archive");
  await rt.restore(sb);
  assert.equal(await sh(rt, sb, "sha256sum ~/blob | cut -d' ' -f1; stat -c %s ~/more"), `${sum}\n1000000`);

  // Delete removes the container, its archive image and an archive file.
  await rt.stop(sb.id);
  await rt.archive(sb.id);
  await rt.remove(sb.id);
  assert.equal(fs.existsSync(again.file), false, "delete removes the archive file");
  assert.deepEqual(await engineObjects(dataDir), { containers: 0, images: 0 });
});

test("start from archived without the image it was made from says so; the file stays", async (t) => {
  const dataDir = tmpData(t);
  const rt = await createRuntime({ dataDir });
  t.after(() => rt.close());
  const parent = info(`arc-parent-${process.pid}`);
  const sb = info(`arc-child-${process.pid}`);
  await rt.create(parent, rt.baseImage);
  await sh(rt, parent, "echo base > ~/base.txt");
  const snap = await rt.commit(parent.id, "snapshot", `snap-${process.pid}`);
  await rt.remove(parent.id);
  await rt.create(sb, snap.image);
  await sh(rt, sb, "echo mine > ~/mine.txt");
  await rt.stop(sb.id);
  const arc = await rt.archive(sb.id);
  assert.ok(arc.sizeBytes < 1e6, `only the sandbox's own change: ${arc.sizeBytes} bytes`);
  await rt.removeImage(snap.image);
  assert.equal(await rt.imageExists(snap.image), false);
  await assert.rejects(rt.restore(sb), (e: Error) => {
    assert.match(e.message, /no longer on the Docker engine/);
    assert.ok(e.message.includes(snap.image), e.message);
    return true;
  });
  assert.equal(await rt.hasArchive(sb.id), true, "a failed start keeps the archive");
  assert.equal(await rt.status(sb.id), "missing");
});

test("start-up removes half-written archives and archives of sandboxes that have a container or no record", async (t) => {
  const dataDir = tmpData(t);
  const rt = await createRuntime({ dataDir });
  t.after(() => rt.close());
  const kept = info(`arc-kept-${process.pid}`);
  const live = info(`arc-live-${process.pid}`);
  await rt.create(kept, rt.baseImage);
  await rt.create(live, rt.baseImage);
  await rt.stop(kept.id);
  await rt.archive(kept.id);
  const dir = path.join(fs.realpathSync(dataDir), "archives");
  fs.writeFileSync(path.join(dir, `${kept.id}.tar.partial`), "half");
  fs.writeFileSync(path.join(dir, `${live.id}.tar`), "stale: the container is the truth");
  fs.writeFileSync(path.join(dir, "nobody.tar"), "no record");
  await rt.reconcile(new Set([kept.id, live.id]));
  assert.deepEqual(fs.readdirSync(dir), [`${kept.id}.tar`]);
  assert.equal(await rt.status(live.id), "running");
  await rt.restore(kept);
  assert.equal(await rt.status(kept.id), "running");
});

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("kill -9 while archiving and while starting from archived: the next start is consistent", async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-archive-k9-"));
  const children: ChildProcess[] = [];
  t.after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await removeInstance(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const archives = path.join(fs.realpathSync(dataDir), "archives");
  const listArchives = () => (fs.existsSync(archives) ? fs.readdirSync(archives) : []);
  const instance = instanceId(fs.realpathSync(dataDir));
  const archiveImages = async () => (await docker.listImages({ filters: { label: [`${INSTANCE_LABEL}=${instance}`, "io.daytona.local.kind=archive"] } })).length;
  const kill9 = async (cli: { child: ChildProcess; daytona: Daytona }) => {
    cli.child.kill("SIGKILL");
    await new Promise((r) => cli.child.once("exit", r));
    await cli.daytona[Symbol.asyncDispose]();
  };

  let cli = await startCli(dataDir, ["--warm-pool", "0"]);
  children.push(cli.child);
  const sb = await cli.daytona.create();
  const sum = (await sb.process.executeCommand("head -c 20000000 /dev/urandom > ~/blob && sha256sum ~/blob | cut -d' ' -f1")).result.trim();
  await sb.stop();
  await sb.archive();
  // The engine's export takes seconds: the server dies while the file is half-written.
  await until("a half-written archive", () => listArchives().some((n) => n.endsWith(".partial")));
  await kill9(cli);

  cli = await startCli(dataDir, ["--warm-pool", "0"]);
  children.push(cli.child);
  const back = await cli.daytona.get(sb.id);
  assert.equal(back.state, "stopped", "the container is still the truth");
  assert.deepEqual(listArchives(), [], "the half-written file is gone");
  assert.equal(await archiveImages(), 0, "the archive's commit is gone");

  // The server dies during start from archived: early (while the file loads) and late (once it is
  // loaded, before or while the container is made of it). Either way the sandbox is archived with its
  // file and nothing else, or started with its files and no archive file.
  const loaded = imageRef(instance, "archive", sb.id).name;
  const moments: [string, () => Promise<void>][] = [
    ["early", () => new Promise((r) => setTimeout(r, 100))],
    ["late", () => until("the archive loaded", async () => (await docker.listImages({ filters: { reference: [loaded] } })).length > 0)],
  ];
  let again = back;
  for (const [when, moment] of moments) {
    if (again.state !== "archived") {
      if (again.state === "started") await again.stop();
      await again.archive();
      await until("archived", async () => (await again.refreshData(), again.state === "archived"));
    }
    assert.deepEqual(listArchives(), [`${sb.id}.tar`]);
    const starting = again.start(60).catch(() => undefined);
    await moment();
    await kill9(cli);
    await starting;
    cli = await startCli(dataDir, ["--warm-pool", "0"]);
    children.push(cli.child);
    again = await cli.daytona.get(sb.id);
    t.diagnostic(`after a kill during start from archived (${when}): ${again.state}`);
    if (again.state === "archived") {
      assert.deepEqual(listArchives(), [`${sb.id}.tar`], "still archived: its file stays");
      assert.equal(await archiveImages(), 0, "a loaded image no container uses is gone");
      await again.start(60);
    } else {
      assert.equal(again.state, "started");
      assert.deepEqual(listArchives(), [], "back in its container: the file is gone");
    }
    assert.equal((await again.process.executeCommand("sha256sum ~/blob | cut -d' ' -f1")).result.trim(), sum);
    assert.deepEqual(listArchives(), []);
  }

  // Deleting an archived sandbox removes its file.
  await again.stop();
  await again.archive();
  await until("archived again", async () => (await again.refreshData(), again.state === "archived"));
  assert.deepEqual(listArchives(), [`${sb.id}.tar`]);
  await again.delete();
  await until("deleted", async () => (await again.refreshData().then(() => false, () => true)));
  assert.deepEqual(listArchives(), [], "delete removes the archive file");
  await cli.daytona[Symbol.asyncDispose]();
  cli.child.kill("SIGTERM");
});

/** A `docker save`-shaped tar: a base layer (v1 id computed as the engine does), a top layer, a manifest. */
function fakeSave(baseDiff: string, topBytes: number): Readable {
  const pack = tarStream.pack();
  const baseJson: Record<string, unknown> = { created: "1970-01-01T00:00:00Z", container_config: { Hostname: "", Env: null } };
  const baseId = legacyLayerId(baseJson, baseDiff);
  const add = (name: string, body: Buffer | string) => pack.entry({ name, size: Buffer.byteLength(body) }, body);
  add(`${baseId}/json`, JSON.stringify({ id: baseId, ...baseJson, os: "linux" }));
  add(`${baseId}/layer.tar`, Buffer.alloc(2_000_000, 1));
  add(`top/json`, JSON.stringify({ id: "top", parent: baseId, created: "2026-11-30T00:00:00Z", config: {} }));
  add(`top/layer.tar`, Buffer.alloc(topBytes, 2));
  add("manifest.json", JSON.stringify([{ Config: "c.json", Layers: [`${baseId}/layer.tar`, "top/layer.tar"] }]));
  pack.finalize();
  return pack as unknown as Readable;
}

test("the archive stream leaves out exactly the base's layers; a failing output ends it with the error", async () => {
  const base = `sha256:${"a".repeat(64)}`;
  const meta = { sandboxId: "s", baseImage: "sha256:b", baseTags: ["x:y"], createdAt: new Date(0).toISOString() };
  const chunks: Buffer[] = [];
  const out = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) });
  const r = await writeArchive(fakeSave(base, 1000), out, [base], meta);
  assert.equal(r.skipped.length, 1);
  assert.match(r.skipped[0], /^[0-9a-f]{64}\/layer\.tar$/);
  assert.deepEqual(r.kept, ["top/layer.tar"]);
  const size = Buffer.concat(chunks).length;
  assert.ok(size < 20_000, `the 2 MB base layer is not in the ${size}-byte archive`);
  assert.deepEqual(await readArchiveMeta(Readable.from(Buffer.concat(chunks))), meta);
  // Another base: nothing is proven, everything stays.
  const all = await writeArchive(fakeSave(base, 1000), new Writable({ write: (_c, _e, cb) => cb() }), [`sha256:${"c".repeat(64)}`], meta);
  assert.deepEqual(all.skipped, []);
  // The output fails half-way (a full disk): the copy stops with that error instead of waiting.
  let written = 0;
  const failing = new Writable({ highWaterMark: 1024, write: (c: Buffer, _e, cb) => ((written += c.length) > 500_000 ? cb(new Error("ENOSPC: no space left")) : cb()) });
  await assert.rejects(writeArchive(fakeSave(base, 5_000_000), failing, [base], meta), /ENOSPC/);
});
