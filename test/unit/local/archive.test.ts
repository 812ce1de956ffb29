// Archive writes the sandbox's changes to a file in the data dir and takes the container and its image
// off the engine; start-from-archived loads it back. The file holds only what the sandbox changed (the
// engine keeps the base layers), also after a second archive of a restored sandbox; a missing base is a
// clear error; start-up removes half-written files; delete removes the file.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import type { SandboxRuntime, SandboxRuntimeInfo } from "../../../src/local/contract";
import { createRuntime } from "../../../src/local/runtime/index";
import { chainIds } from "../../../src/local/runtime/archiveTar";
import { INSTANCE_LABEL, instanceId } from "../../../src/local/runtime/containers";
import { removeInstance } from "../../../src/local/runtime/reconcile";

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const info = (id: string): SandboxRuntimeInfo => ({ id, user: "daytona", env: {}, networkBlockAll: false });

function tmpData(t: { after(fn: () => Promise<void>): void }): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "rt-archive-"));
  t.after(async () => {
    await removeInstance(d);
    fs.rmSync(d, { recursive: true, force: true });
  });
  return d;
}

async function sh(rt: SandboxRuntime, sb: SandboxRuntimeInfo, command: string, user?: string): Promise<string> {
  const p = await rt.spawn(sb, ["/bin/bash", "-c", command], user ? { user } : {});
  let out = "";
  p.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  p.stderr.on("data", (c: Buffer) => (out += c.toString("utf8")));
  const code = await p.exited;
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
