// The Snapshots view: name, state, resources and source sandbox.
import * as vscode from "vscode";
import type { SnapshotRecord } from "../../core/daytona/records";
import { snapshotDescription, snapshotTooltip } from "../../core/tree/presentation";

const BUSY = new Set(["pending", "pulling", "building", "pending_validation", "validating", "removing"]);

export function snapshotIsBusy(s: SnapshotRecord): boolean {
  return BUSY.has(s.state);
}

export class SnapshotsProvider implements vscode.TreeDataProvider<SnapshotRecord>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private items: SnapshotRecord[] = [];

  set(items: SnapshotRecord[]): void {
    this.items = [...items].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    this.changed.fire();
  }

  all(): SnapshotRecord[] {
    return this.items;
  }

  getTreeItem(s: SnapshotRecord): vscode.TreeItem {
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = `snapshot:${s.id}`;
    item.description = snapshotDescription(s);
    item.tooltip = new vscode.MarkdownString(snapshotTooltip(s));
    const busy = snapshotIsBusy(s);
    const failed = s.state === "error" || s.state === "build_failed";
    item.iconPath = busy
      ? new vscode.ThemeIcon("sync~spin", new vscode.ThemeColor("charts.yellow"))
      : new vscode.ThemeIcon(failed ? "error" : "device-camera", failed ? new vscode.ThemeColor("errorForeground") : s.state === "active" ? new vscode.ThemeColor("charts.green") : undefined);
    const tags = ["snapshot", s.state, s.state === "active" ? "usable" : s.state === "inactive" ? "activatable" : undefined, s.general ? "general" : "deletable"];
    item.contextValue = tags.filter(Boolean).join("+");
    return item;
  }

  getChildren(element?: SnapshotRecord): SnapshotRecord[] {
    return element ? [] : this.items;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
