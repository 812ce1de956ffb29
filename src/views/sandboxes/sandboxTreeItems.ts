// Tree nodes (plain data from core/tree) to TreeItems. No I/O here.
import * as vscode from "vscode";
import { contextValue, type GroupNode, type SandboxNode, type TreeNode } from "../../core/tree/sandboxTree";
import { sandboxDescription, sandboxTooltip, stateIcon } from "../../core/tree/presentation";

function groupItem(node: GroupNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.value, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.description = `${node.key} · ${node.count}`;
  item.tooltip = new vscode.MarkdownString(
    `Sandboxes labelled ${Object.entries(node.selector).map(([k, v]) => `\`${k}=${v}\``).join(" and ")} (${node.count})`,
  );
  item.iconPath = new vscode.ThemeIcon(node.key === "inspect_run_id" ? "beaker" : "tag");
  item.contextValue = "labelGroup";
  return item;
}

function sandboxItem(node: SandboxNode): vscode.TreeItem {
  const r = node.record;
  const item = new vscode.TreeItem(r.name, node.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = sandboxDescription(r);
  item.tooltip = new vscode.MarkdownString(sandboxTooltip(r));
  const icon = stateIcon(r.state);
  item.iconPath = new vscode.ThemeIcon(icon.codicon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
  item.contextValue = contextValue(node.tags);
  item.accessibilityInformation = { label: `${r.name}, ${r.state.replace(/_/g, " ")}` };
  return item;
}

export function treeItemFor(node: TreeNode): vscode.TreeItem {
  return node.kind === "group" ? groupItem(node) : sandboxItem(node);
}
