// "Sort Sandboxes By…": a key from code, else a pick (the view title passes the selected item, which
// is not a key). Only a valid key is ever written to the setting.
import * as vscode from "vscode";
import type { SortKey } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { oneOf } from "../args";

const KEYS: readonly SortKey[] = ["name", "created", "state"];

export function sortSandboxes(_services: Services) {
  return async (keyIn?: unknown): Promise<void> => {
    const current = vscode.workspace.getConfiguration("daytona").get<string>("sandboxes.sortBy", "name");
    const key =
      oneOf(keyIn, KEYS) ??
      (
        await vscode.window.showQuickPick(
          [
            { label: "Name", key: "name" as const },
            { label: "Newest first", key: "created" as const },
            { label: "State (running first)", key: "state" as const },
          ].map((i) => ({ ...i, description: i.key === current ? "current" : undefined })),
          { title: "Daytona: sort sandboxes by" },
        )
      )?.key;
    if (key && key !== current) await vscode.workspace.getConfiguration("daytona").update("sandboxes.sortBy", key, vscode.ConfigurationTarget.Global);
  };
}
