// Tree nodes (plain data from core/tree) to TreeItems. No I/O here.
import * as vscode from "vscode";
import { contextValue, type GroupNode, type SandboxNode, type ServiceNode, type TreeNode } from "../../core/tree/sandboxTree";
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

function serviceItem(node: ServiceNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = node.state === "running" ? "compose service" : `compose service · ${node.state}`;
  item.tooltip = new vscode.MarkdownString(`Compose service **${node.name}** (${node.state}) in sandbox \`${node.sandboxId}\`. Its files are at \`daytona://${node.sandboxId}+${node.name}/\`.`);
  item.iconPath = new vscode.ThemeIcon("symbol-method", node.state === "running" ? new vscode.ThemeColor("charts.green") : undefined);
  item.contextValue = contextValue(node.tags);
  return item;
}

export function treeItemFor(node: TreeNode): vscode.TreeItem {
  if (node.kind === "group") return groupItem(node);
  return node.kind === "service" ? serviceItem(node) : sandboxItem(node);
}
