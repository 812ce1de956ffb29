// Volumes through the real SDK: create (pending_create -> ready), list, get by name (and create on
// a miss), mount at sandbox create (visible inside, shared between sandboxes, kept after delete),
// the errors Daytona answers, delete (refused while mounted or not ready).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DaytonaNotFoundError, type Daytona } from "@daytonaio/sdk";
import { sleep, startTestServer } from "./helpers";

async function waitReady(daytona: Daytona, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const v = await daytona.volume.get(name);
    if (v.state === "ready") return;
    await sleep(20);
  }
  throw new Error(`volume ${name} never became ready`);
}

test("volumes: create, list, get, mount into sandboxes, delete", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { daytona } = ts;

  const vol = await daytona.volume.create("vol-a");
  assert.equal(vol.name, "vol-a");
  assert.ok(vol.id);
  assert.equal(vol.state, "pending_create");
  await waitReady(daytona, "vol-a");
  assert.ok((await daytona.volume.list()).some((v) => v.id === vol.id));
  assert.equal((await daytona.volume.get("vol-a")).id, vol.id);

  await assert.rejects(daytona.volume.create("vol-a"), /already exists/);
  await assert.rejects(daytona.volume.get("no-such-volume"), DaytonaNotFoundError);
  const auto = await daytona.volume.get("vol-auto", true);
  assert.equal(auto.name, "vol-auto");
  await waitReady(daytona, "vol-auto");

  // Mount by name and by id; a subpath mounts only that part of the volume.
  const a = await daytona.create({ name: "vol-user-a", volumes: [{ volumeId: "vol-a", mountPath: "/data" }] });
  assert.deepEqual(a.volumes, [{ volumeId: vol.id, mountPath: "/data" }]);
  const w = await a.process.executeCommand("echo shared > /data/hello.txt && ls /data");
  assert.equal(w.exitCode, 0, w.result);
  const b = await daytona.create({ name: "vol-user-b", volumes: [{ volumeId: vol.id, mountPath: "/home/daytona/mnt" }, { volumeId: auto.id, mountPath: "/sub", subpath: "users/alice" }] });
  const r = await b.process.executeCommand("cat /home/daytona/mnt/hello.txt && echo x > /sub/f && ls /sub");
  assert.equal(r.exitCode, 0, r.result);
  assert.match(r.result, /shared/);
  // The toolbox file API sees the mount too.
  assert.equal((await b.fs.downloadFile("/home/daytona/mnt/hello.txt")).toString(), "shared\n");
  await b.fs.uploadFile(Buffer.from("from-b"), "/home/daytona/mnt/b.txt");
  assert.equal((await a.process.executeCommand("cat /data/b.txt")).result.trimEnd(), "from-b");

  // Errors for bad mounts, before anything is made.
  await assert.rejects(daytona.create({ volumes: [{ volumeId: "missing-vol", mountPath: "/x" }] }), /Volume missing-vol not found/);
  await assert.rejects(daytona.create({ volumes: [{ volumeId: "vol-a", mountPath: "relative" }] }), /absolute/);
  await assert.rejects(daytona.create({ volumes: [{ volumeId: "vol-a", mountPath: "/etc/x" }] }), /system directory/);

  // Mounted volumes cannot be deleted; once the sandboxes are gone they can, and the data stayed.
  await assert.rejects(daytona.volume.delete(await daytona.volume.get("vol-a")), /in use/);
  await a.delete(10, true);
  const c = await daytona.create({ volumes: [{ volumeId: "vol-a", mountPath: "/again" }] });
  // (trimEnd: exec output's trailing newline is the toolbox's business, issue 14 part A)
  assert.equal((await c.process.executeCommand("cat /again/hello.txt")).result.trimEnd(), "shared");
  await c.delete(10, true);
  await b.delete(10, true);
  await daytona.volume.delete(await daytona.volume.get("vol-a"));
  for (let i = 0; i < 100 && (await daytona.volume.list()).some((v) => v.name === "vol-a"); i++) await sleep(20);
  assert.ok(!(await daytona.volume.list()).some((v) => v.name === "vol-a"));
  await assert.rejects(daytona.volume.get("vol-a"), DaytonaNotFoundError);
  // The name is free again.
  const again = await daytona.volume.create("vol-a");
  assert.notEqual(again.id, vol.id);
});

test("volumes: a volume that is not ready cannot be mounted or deleted", async (t) => {
  const ts = await startTestServer({ transitionMs: 400 });
  t.after(() => ts.stop());
  const vol = await ts.daytona.volume.create("slow-vol");
  await assert.rejects(ts.daytona.create({ volumes: [{ volumeId: vol.id, mountPath: "/d" }] }), /not in a ready state/);
  await assert.rejects(ts.daytona.volume.delete(vol), /'ready' or 'error' state/);
});
