// The Volumes view's items: name, state, last use. Plain records in, TreeItems out; no I/O.
import * as vscode from "vscode";
import { BUSY_VOLUME_STATES, type VolumeRecord } from "../../core/daytona/volumes";

export function volumeIsBusy(v: VolumeRecord): boolean {
  return BUSY_VOLUME_STATES.has(v.state);
}

export class VolumesProvider implements vscode.TreeDataProvider<VolumeRecord>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private items: VolumeRecord[] = [];

  set(items: VolumeRecord[]): void {
    this.items = [...items].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    this.changed.fire();
  }

  all(): VolumeRecord[] {
    return this.items;
  }

  getTreeItem(v: VolumeRecord): vscode.TreeItem {
    const item = new vscode.TreeItem(v.name, vscode.TreeItemCollapsibleState.None);
    item.id = `volume:${v.id}`;
    const used = v.lastUsedAt ? `last used ${new Date(v.lastUsedAt).toLocaleString()}` : "never mounted";
    item.description = v.state === "ready" ? used : v.state.replace(/_/g, " ");
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${v.name}** — ${v.state.replace(/_/g, " ")}\n\n- id: \`${v.id}\`\n- ${used}`);
    if (v.errorReason) md.appendMarkdown(`\n- error: ${v.errorReason.replace(/[\\`*_[\]<>]/g, "\\$&")}`);
    item.tooltip = md;
    const failed = v.state === "error";
    item.iconPath = volumeIsBusy(v)
      ? new vscode.ThemeIcon("sync~spin", new vscode.ThemeColor("charts.yellow"))
      : new vscode.ThemeIcon(failed ? "error" : "database", failed ? new vscode.ThemeColor("errorForeground") : v.state === "ready" ? new vscode.ThemeColor("charts.green") : undefined);
    const tags = ["volume", v.state, v.state === "ready" ? "mountable" : undefined, v.state === "ready" || failed ? "deletable" : undefined];
    item.contextValue = tags.filter(Boolean).join("+");
    return item;
  }

  getChildren(element?: VolumeRecord): VolumeRecord[] {
    return element ? [] : this.items;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
