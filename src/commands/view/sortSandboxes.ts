import * as vscode from "vscode";
import type { SortKey } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";

export function sortSandboxes(_services: Services) {
  return async (keyArg?: SortKey): Promise<void> => {
    const key =
      keyArg ??
      (
        await vscode.window.showQuickPick(
          [
            { label: "Name", key: "name" as const },
            { label: "Newest first", key: "created" as const },
            { label: "State (running first)", key: "state" as const },
          ],
          { title: "Daytona: sort sandboxes by" },
        )
      )?.key;
    if (key) await vscode.workspace.getConfiguration("daytona").update("sandboxes.sortBy", key, vscode.ConfigurationTarget.Global);
  };
}
