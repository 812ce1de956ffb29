// Snapshot of a running sandbox and a sandbox made from it; fork, lineage, and fork isolation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer } from "./helpers";

test("snapshot a sandbox, create from the snapshot, list and delete snapshots", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { daytona } = ts;
  const sb = await daytona.create();
  const home = await sb.getUserHomeDir();
  await sb.fs.uploadFile(Buffer.from("from the original\n"), `${home}/note.txt`);
  await sb.createSnapshot("snap/one:v1");
  assert.equal(sb.state, "started");

  const snap = await daytona.snapshot.get("snap/one:v1");
  assert.equal(snap.state, "active");
  assert.equal(snap.sourceSandboxId, sb.id);
  const page = await daytona.snapshot.list(1, 2);
  assert.equal(page.items.length, 2);
  assert.equal(page.total, 4); // three defaults + this one
  assert.equal(page.totalPages, 2);

  const child = await daytona.create({ snapshot: "snap/one:v1" });
  const text = (await child.fs.downloadFile(`${home}/note.txt`)).toString();
  assert.equal(text, "from the original\n");

  await assert.rejects(daytona.snapshot.delete("daytona-small"), /default snapshot/);
  await daytona.snapshot.delete(snap);
  await assert.rejects(daytona.snapshot.get("snap/one:v1"), /not found/);
});

test("fork copies a running sandbox; changes stay on their side; lineage", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { daytona } = ts;
  const parent = await daytona.create({ name: "parent", labels: { kind: "root" } });
  const home = await parent.getUserHomeDir();
  await parent.fs.uploadFile(Buffer.from("v1"), `${home}/shared.txt`);

  const fork = await parent.fork({ name: "child" });
  assert.equal(fork.state, "started");
  assert.equal(fork.name, "child");
  assert.deepEqual(fork.labels, parent.labels);
  assert.equal((await fork.fs.downloadFile(`${home}/shared.txt`)).toString(), "v1");

  await fork.fs.uploadFile(Buffer.from("v2"), `${home}/shared.txt`);
  await fork.fs.uploadFile(Buffer.from("new"), `${home}/only-in-fork.txt`);
  assert.equal((await parent.fs.downloadFile(`${home}/shared.txt`)).toString(), "v1");
  await assert.rejects(parent.fs.downloadFile(`${home}/only-in-fork.txt`));

  const grandchild = await fork.fork();
  const headers = { authorization: `Bearer ${ts.server.token}` };
  const api = ts.server.apiUrl;
  const forks = (await (await fetch(`${api}/sandbox/${parent.id}/forks`, { headers })).json()) as { id: string }[];
  assert.deepEqual(forks.map((f) => f.id), [fork.id]);
  const par = (await (await fetch(`${api}/sandbox/${grandchild.id}/parent`, { headers })).json()) as { id: string };
  assert.equal(par.id, fork.id);
  const anc = (await (await fetch(`${api}/sandbox/${grandchild.id}/ancestors`, { headers })).json()) as { id: string }[];
  assert.deepEqual(anc.map((a) => a.id), [fork.id, parent.id]);
  assert.equal((await fetch(`${api}/sandbox/${parent.id}/parent`, { headers })).status, 404);

  await parent.stop();
  await assert.rejects(parent.fork(), /Cannot fork/);
});
