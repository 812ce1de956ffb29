// Which sandboxes a command acts on: the multi-selection when the clicked item is part of it, the
// clicked item, or (from the command palette) a pick among the sandboxes the action applies to.
import * as vscode from "vscode";
import type { SandboxRecord } from "../../core/daytona/records";
import { sandboxesUnder, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { isTreeNode } from "../args";

export interface TargetOptions {
  /** e.g. "stop"; used in the picker's title. */
  verb: string;
  /** Only sandboxes this returns true for are offered or acted on. */
  applies?: (r: SandboxRecord) => boolean;
  many?: boolean;
}

export async function targetSandboxes(services: Services, nodeIn: unknown, nodesIn: unknown, options: TargetOptions): Promise<SandboxRecord[]> {
  const applies = options.applies ?? (() => true);
  const node = isTreeNode(nodeIn) ? nodeIn : undefined;
  const nodes = Array.isArray(nodesIn) ? (nodesIn as unknown[]).filter(isTreeNode) : undefined;
  if (node) {
    const chosen = options.many && nodes?.some((n) => n.id === node.id) ? nodes : [node];
    const records = chosen.flatMap((n) => (n.kind === "sandbox" ? [n.record] : []));
    return records.filter(applies);
  }
  const candidates = services.sandboxes.store.all().filter(applies);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`Daytona: no sandbox to ${options.verb}.`);
    return [];
  }
  const items = candidates.map((r) => ({ label: r.name, description: r.state.replace(/_/g, " "), detail: r.id, record: r }));
  if (options.many) {
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: `Daytona: sandboxes to ${options.verb}` });
    return (picked ?? []).map((p) => p.record);
  }
  const picked = await vscode.window.showQuickPick(items, { title: `Daytona: sandbox to ${options.verb}` });
  return picked ? [picked.record] : [];
}

/** Every sandbox under a group node (for clean-up by label). */
export function groupMembers(node: TreeNode): SandboxRecord[] {
  return sandboxesUnder(node);
}
