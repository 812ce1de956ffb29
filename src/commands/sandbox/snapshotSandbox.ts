// Snapshot one or more sandboxes (running or stopped) under validated names; they appear in the
// Snapshots view.
import * as vscode from "vscode";
import { snapshotSandbox as snapshot, suggestSnapshotName, validateName } from "../../core/daytona/snapshotFork";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { runOnSandboxes } from "./lifecycle";
import { targetSandboxes } from "./targets";

export function snapshotSandbox(services: Services) {
  // `nameArg` names the snapshot without asking (one sandbox only; tests and other commands).
  return async (node?: TreeNode, nodes?: readonly TreeNode[], nameArg?: string): Promise<string[]> => {
    const records = await targetSandboxes(services, node, nodes, { verb: "snapshot", many: true, applies: (r) => actionTags(r.state).includes("snapshotable") });
    if (records.length === 0) return [];
    const taken = new Set(services.snapshots.provider.all().map((s) => s.name));
    const names = new Map<string, string>();
    for (const r of records) {
      const name =
        (records.length === 1 ? nameArg : undefined) ??
        (await vscode.window.showInputBox({
          title: `Daytona: snapshot of ${r.name}`,
          prompt: "Name of the new snapshot",
          value: suggestSnapshotName(r.name),
          validateInput: (v) => validateName(v, new Set([...taken, ...names.values()])),
        }));
      if (!name) return [];
      names.set(r.id, name);
    }
    await runOnSandboxes(services, records, { present: "snapshot", progressive: "Snapshotting" }, (client, r) => snapshot(client, r.id, names.get(r.id)!));
    await services.snapshots.refreshNow();
    return [...names.values()];
  };
}
