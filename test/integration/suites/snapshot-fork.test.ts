// Snapshot and fork from the sidebar against the local server: the snapshot appears in the Snapshots
// view and a sandbox made from it has the files; forks show under their parent and do not share
// changes with it.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { SandboxRecord } from "../../../src/core/daytona/records";
import type { Services } from "../../../src/services";
import { connectLocal, services, sh, waitFor } from "../support";

describe("snapshot and fork", function () {
  this.timeout(180_000);
  let s: Services;
  let parent: SandboxRecord;
  const made: string[] = [];
  const snapName = `it-snap-${Date.now().toString(36)}`;

  before(async () => {
    s = await services();
    await connectLocal(s);
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    parent = await s.connection.client().createSandbox({ name: `it-parent-${Date.now().toString(36)}`, labels: { created_by: "it-fork" } });
    made.push(parent.id);
    await sh(s, parent.id, "echo frozen > ~/state.txt");
    await waitFor(() => s.sandboxes.provider.nodeFor(parent.id) !== undefined, "the parent is in the tree");
  });

  after(async () => {
    for (const id of made) await s.connection.client().delete(id).catch(() => undefined);
    await s.connection.client().deleteSnapshot(snapName).catch(() => undefined);
  });

  it("snapshots a sandbox; the snapshot is listed and a sandbox made from it has its files", async () => {
    const names = await vscode.commands.executeCommand<string[]>("daytona.sandbox.snapshot", s.sandboxes.provider.nodeFor(parent.id), undefined, snapName);
    assert.deepEqual(names, [snapName]);
    await waitFor(() => s.snapshots.provider.all().some((x) => x.name === snapName && x.state === "active"), "the snapshot is listed as active");
    const id = await vscode.commands.executeCommand<string>("daytona.snapshot.createSandbox", s.snapshots.provider.all().find((x) => x.name === snapName), undefined, `${snapName}-box`);
    assert.ok(id);
    made.push(id);
    assert.equal((await sh(s, id, "cat ~/state.txt")).result, "frozen\n");
  });

  it("forks into two named copies shown under the parent; a fork's changes stay in the fork", async () => {
    const forks = await vscode.commands.executeCommand<SandboxRecord[]>("daytona.sandbox.fork", s.sandboxes.provider.nodeFor(parent.id), undefined, 2);
    assert.equal(forks.length, 2);
    made.push(...forks.map((f) => f.id));
    assert.deepEqual(forks.map((f) => f.name).sort(), [`${parent.name}-fork-1`, `${parent.name}-fork-2`]);
    await waitFor(() => {
      const node = s.sandboxes.provider.nodeFor(parent.id);
      return node?.kind === "sandbox" && node.children.length === 2;
    }, "both forks sit under the parent in the tree");
    assert.equal((await sh(s, forks[0].id, "cat ~/state.txt")).result, "frozen\n");
    await sh(s, forks[0].id, "echo changed > ~/state.txt");
    assert.equal((await sh(s, parent.id, "cat ~/state.txt")).result, "frozen\n", "the parent is untouched");
    assert.equal((await sh(s, forks[1].id, "cat ~/state.txt")).result, "frozen\n", "the other fork is untouched");
  });
});
