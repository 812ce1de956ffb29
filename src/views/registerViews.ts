import * as vscode from "vscode";

/** The ids of the views in the Daytona container (package.json contributes.views.daytona). */
export const VIEW_IDS = { sandboxes: "daytona.sandboxes", snapshots: "daytona.snapshots" } as const;

/**
 * An empty tree until a connection exists: VS Code then shows the view's welcome content
 * (contributes.viewsWelcome), which is what a person who is not connected should see.
 */
class NotConnectedTree implements vscode.TreeDataProvider<never> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }
  getChildren(): never[] {
    return [];
  }
  refresh(): void {
    this.changed.fire();
  }
  dispose(): void {
    this.changed.dispose();
  }
}

export function registerViews(context: vscode.ExtensionContext): { refresh(): void } {
  const trees = [new NotConnectedTree(), new NotConnectedTree()];
  context.subscriptions.push(
    ...trees,
    vscode.window.createTreeView(VIEW_IDS.sandboxes, { treeDataProvider: trees[0], showCollapseAll: true }),
    vscode.window.createTreeView(VIEW_IDS.snapshots, { treeDataProvider: trees[1] }),
  );
  void vscode.commands.executeCommand("setContext", "daytona.connected", false);
  return { refresh: () => trees.forEach((t) => t.refresh()) };
}
