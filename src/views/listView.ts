// A view of one flat list fetched from Daytona (snapshots, volumes): listed when shown and after
// changes, re-checked while visible only while an item is still changing (nothing is pushed for
// these), nothing while hidden; emptied when the connection changes.
import { RateLimitedLog } from "../core/rateLimitedLog";
import * as vscode from "vscode";
import type { DaytonaClient } from "../core/daytona/client";
import { Refresher } from "../core/refresh/refresher";
import type { ConnectionManager } from "../connection/connectionManager";

export interface ListProvider<T> extends vscode.TreeDataProvider<T>, vscode.Disposable {
  set(items: T[]): void;
  all(): T[];
}

export interface ListViewOptions<T> {
  viewId: string;
  /** For the log: "snapshot", "volume". */
  noun: string;
  list(client: DaytonaClient): Promise<T[]>;
  isBusy(item: T): boolean;
  busyPollMs: number;
  /** Shown in the view when the list is empty (optional). */
  emptyMessage?: string;
}

export class ListView<T> implements vscode.Disposable {
  readonly treeView: vscode.TreeView<T>;
  private readonly refresher: Refresher;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly provider: ListProvider<T>,
    private readonly options: ListViewOptions<T>,
    private readonly connection: ConnectionManager,
    log: vscode.LogOutputChannel,
  ) {
    this.treeView = vscode.window.createTreeView(options.viewId, { treeDataProvider: provider, canSelectMany: true });
    const limited = new RateLimitedLog(log);
    this.refresher = new Refresher(() => this.fetch(), {
      debounceMs: 150,
      pollMs: 0,
      // Poll failures (a stopped server, a network outage) once per cause a minute.
      onError: (err) => limited.warn(`${options.noun} list failed: ${err instanceof Error ? err.message : String(err)}`),
    });
    this.disposables.push(
      this.treeView,
      provider,
      this.treeView.onDidChangeVisibility((e) => this.refresher.setVisible(e.visible)),
      connection.onDidChange(() => {
        provider.set([]);
        if (connection.state.kind === "connected") this.refresher.request();
      }),
    );
    this.refresher.setVisible(this.treeView.visible);
  }

  refresh(): void {
    this.refresher.request();
  }

  refreshNow(): Promise<void> {
    return this.refresher.now();
  }

  private async fetch(): Promise<void> {
    const state = this.connection.state;
    if (state.kind !== "connected") return;
    const items = await this.options.list(state.client);
    if (this.connection.state !== state) return;
    this.provider.set(items);
    if (this.options.emptyMessage !== undefined) this.treeView.message = items.length === 0 ? this.options.emptyMessage : undefined;
    this.refresher.setPollMs(items.some((i) => this.options.isBusy(i)) ? this.options.busyPollMs : 0);
  }

  dispose(): void {
    this.refresher.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
