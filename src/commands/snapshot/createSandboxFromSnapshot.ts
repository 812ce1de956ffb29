import * as vscode from "vscode";
import type { SnapshotRecord } from "../../core/daytona/records";
import type { Services } from "../../services";

export function createSandboxFromSnapshot(services: Services) {
  // `name` names the sandbox without asking (tests, other commands).
  return async (node?: SnapshotRecord, _nodes?: unknown, name?: string): Promise<string | undefined> => {
    let snapshot = node;
    if (!snapshot) {
      const pick = await vscode.window.showQuickPick(
        services.snapshots.provider.all().filter((s) => s.state === "active").map((s) => ({ label: s.name, description: s.imageName, record: s })),
        { title: "Daytona: create a sandbox from snapshot" },
      );
      snapshot = pick?.record;
    }
    if (!snapshot) return undefined;
    return vscode.commands.executeCommand<string | undefined>("daytona.sandbox.create", snapshot, name);
  };
}
