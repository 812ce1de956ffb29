// "Clean up" a label group, for example one Inspect evaluation run: delete every sandbox in it.
import * as vscode from "vscode";
import type { TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { runOnSandboxes } from "./lifecycle";
import { groupMembers } from "./targets";

export function cleanUpGroup(services: Services) {
  // `options.confirmed` is for callers that asked already (tests, other commands).
  return async (node?: TreeNode, _nodes?: unknown, options?: { confirmed?: boolean }): Promise<void> => {
    if (!node || node.kind !== "group") {
      void vscode.window.showInformationMessage("Daytona: right-click a label group in the Sandboxes view to clean it up.");
      return;
    }
    const records = groupMembers(node).filter((r) => r.state !== "destroying");
    if (records.length === 0) return;
    const selector = Object.entries(node.selector).map(([k, v]) => `${k}=${v}`).join(", ");
    if (!options?.confirmed) {
      const ok = await vscode.window.showWarningMessage(`Delete all ${records.length} sandboxes labelled ${selector}?`, { modal: true, detail: records.map((r) => r.name).join("\n") }, "Delete All");
      if (ok !== "Delete All") return;
    }
    await runOnSandboxes(services, records, { present: "delete", progressive: "Cleaning up" }, (client, r) => client.delete(r.id));
  };
}
