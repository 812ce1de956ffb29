// The Sandboxes view's data provider: renders the SandboxStore through the pure tree builder.
import * as vscode from "vscode";
import type { SandboxStore } from "../../core/daytona/sandboxStore";
import { buildSandboxTree, parentIndex, type ServicesBySandbox, type TreeNode, type TreeOptions } from "../../core/tree/sandboxTree";
import { treeItemFor } from "./sandboxTreeItems";

export class SandboxesProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: TreeNode[] = [];
  private parents = new Map<string, TreeNode | undefined>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly store: SandboxStore,
    private readonly options: () => TreeOptions,
    private readonly services: () => ServicesBySandbox | undefined = () => undefined,
  ) {
    this.subscription = store.onDidChange(() => this.rebuild());
  }

  rebuild(): void {
    this.roots = buildSandboxTree(this.store.all(), this.options(), this.services());
    this.parents = parentIndex(this.roots);
    this.changed.fire(undefined);
  }

  get isEmpty(): boolean {
    return this.roots.length === 0;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItemFor(node);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? node.children : this.roots;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  /** The current node for a sandbox id (for reveal()). */
  nodeFor(sandboxId: string): TreeNode | undefined {
    const find = (nodes: TreeNode[]): TreeNode | undefined => {
      for (const n of nodes) {
        if (n.kind === "sandbox" && n.record.id === sandboxId) return n;
        const inner = find(n.children);
        if (inner) return inner;
      }
      return undefined;
    };
    return find(this.roots);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
