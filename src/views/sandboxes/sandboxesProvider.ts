// The Sandboxes view's data provider: renders the SandboxStore through the pure tree builder.
import * as vscode from "vscode";
import type { SandboxStore } from "../../core/daytona/sandboxStore";
import { buildSandboxTree, parentIndex, type SandboxNode, type ServicesBySandbox, type TreeNode, type TreeOptions } from "../../core/tree/sandboxTree";
import { treeItemFor } from "./sandboxTreeItems";
import { sandboxTooltip } from "../../core/tree/presentation";
import { metricsMarkdown, type SandboxMetrics } from "../../core/daytona/volumes";

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
    /** Usage for a started sandbox's tooltip, asked for only when its tooltip is shown. */
    private readonly metrics?: (sandboxId: string) => Promise<SandboxMetrics>,
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
    const item = treeItemFor(node);
    // VS Code asks resolveTreeItem for a tooltip only when it is left undefined.
    if (this.showsUsage(node)) item.tooltip = undefined;
    return item;
  }

  private showsUsage(node: TreeNode): node is SandboxNode {
    return node.kind === "sandbox" && node.record.state === "started" && this.metrics !== undefined;
  }

  /** Called by VS Code when a tooltip is about to show (so only while the view is visible): adds usage. */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (!this.showsUsage(node) || !this.metrics) return item;
    let usage: string;
    try {
      usage = metricsMarkdown(await this.metrics(node.record.id));
    } catch (err) {
      usage = `_Usage unavailable: ${(err instanceof Error ? err.message : String(err)).replace(/[\\`*_[\]<>]/g, "\\$&")}_`;
    }
    if (token.isCancellationRequested) return item;
    item.tooltip = new vscode.MarkdownString(`${sandboxTooltip(node.record)}\n\n${usage}`);
    return item;
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
