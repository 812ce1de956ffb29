// Labels and label groups through the commands: edit a sandbox's labels, see it move into the group
// of an Inspect-like run, and clean up that run's group in one action.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { Services } from "../../../src/services";
import { connectLocal, services, waitFor } from "../support";

describe("labels and label groups", function () {
  this.timeout(120_000);
  let s: Services;
  const run = `run${Date.now().toString(36)}`;
  const ids: string[] = [];

  before(async () => {
    s = await services();
    await connectLocal(s);
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    for (const n of [1, 2, 3]) ids.push((await s.connection.client().createSandbox({ name: `inspect-task-${n}-${run}`, labels: { created_by: "inspect-ai" } })).id);
  });

  after(async () => {
    for (const id of ids) await s.connection.client().delete(id).catch(() => undefined);
  });

  it("edits labels; sandboxes of one run sit together under created_by, then inspect_run_id", async () => {
    await waitFor(() => ids.every((id) => s.sandboxes.provider.nodeFor(id)), "all three are listed");
    for (const id of ids.slice(0, 2)) {
      await vscode.commands.executeCommand("daytona.sandbox.editLabels", s.sandboxes.provider.nodeFor(id), undefined, `created_by=inspect-ai, inspect_run_id=${run}`);
    }
    await waitFor(() => ids.slice(0, 2).every((id) => s.sandboxes.store.get(id)?.labels.inspect_run_id === run), "the labels arrived", 20_000);
    await waitFor(() => s.sandboxes.provider.getParent(s.sandboxes.provider.nodeFor(ids[0])!)?.id === `group:created_by=inspect-ai/inspect_run_id=${run}`, "the run's group holds the first sandbox");
    const group = s.sandboxes.provider.getParent(s.sandboxes.provider.nodeFor(ids[0])!)!;
    assert.equal(group.kind === "group" && group.count, 2);
    assert.deepEqual((await s.connection.client().getSandbox(ids[0])).labels.inspect_run_id, run);
  });

  it("cleans up one run's group and leaves the rest", async () => {
    const group = s.sandboxes.provider.getParent(s.sandboxes.provider.nodeFor(ids[0])!)!;
    await vscode.commands.executeCommand("daytona.sandboxes.cleanUpGroup", group, undefined, { confirmed: true });
    await waitFor(async () => (await s.connection.client().listSandboxes({ inspect_run_id: run })).length === 0, "the run's sandboxes are gone", 30_000);
    assert.ok(await s.connection.client().getSandbox(ids[2]), "the sandbox outside the run stays");
  });
});
