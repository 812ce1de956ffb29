import * as vscode from "vscode";
import type { TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { targetSandboxes } from "./targets";

export function copyId(services: Services) {
  return async (node?: TreeNode, nodes?: readonly TreeNode[]): Promise<void> => {
    const records = await targetSandboxes(services, node, nodes, { verb: "copy the id of", many: true });
    if (records.length === 0) return;
    await vscode.env.clipboard.writeText(records.map((r) => r.id).join("\n"));
    vscode.window.setStatusBarMessage(`Daytona: copied ${records.length === 1 ? `the id of ${records[0].name}` : `${records.length} ids`}`, 3000);
  };
}
