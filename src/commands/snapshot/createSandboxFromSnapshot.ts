import * as vscode from "vscode";
import type { SnapshotRecord } from "../../core/daytona/records";
import { resources } from "../../core/tree/presentation";
import type { Services } from "../../services";
import { isSnapshotRecord, stringArg } from "../args";

export function createSandboxFromSnapshot(services: Services) {
  // `name` names the sandbox without asking (tests, other commands).
  return async (node?: unknown, _nodes?: unknown, nameIn?: unknown): Promise<string | undefined> => {
    let snapshot: SnapshotRecord | undefined = isSnapshotRecord(node) ? node : undefined;
    const name = stringArg(nameIn);
    if (!snapshot) {
      const pick = await vscode.window.showQuickPick(
        services.snapshots.provider.all().filter((s) => s.state === "active").map((s) => ({ label: s.name, description: resources(s), detail: s.imageName, record: s })),
        { title: "Daytona: create a sandbox from snapshot" },
      );
      snapshot = pick?.record;
    }
    if (!snapshot) return undefined;
    return vscode.commands.executeCommand<string | undefined>("daytona.sandbox.create", snapshot, name);
  };
}
