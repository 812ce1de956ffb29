// The Snapshots view: a list fetched when shown and after changes; polled while visible only when
// a snapshot is still being built (snapshots have no pushed events).
import { RateLimitedLog } from "../../core/rateLimitedLog";
import * as vscode from "vscode";
import type { SnapshotRecord } from "../../core/daytona/records";
import { Refresher } from "../../core/refresh/refresher";
import type { ConnectionManager } from "../../connection/connectionManager";
import { snapshotIsBusy, SnapshotsProvider } from "./snapshotsProvider";

const BUSY_POLL_MS = 3000;

export class SnapshotsView implements vscode.Disposable {
  readonly provider = new SnapshotsProvider();
  readonly treeView: vscode.TreeView<SnapshotRecord>;
  private readonly refresher: Refresher;
  private readonly disposables: vscode.Disposable[] = [];

  /** Poll failures (a stopped server, a network outage) once per cause a minute. */
  private readonly limited: RateLimitedLog;

  constructor(
    private readonly connection: ConnectionManager,
    log: vscode.LogOutputChannel,
  ) {
    this.treeView = vscode.window.createTreeView("daytona.snapshots", { treeDataProvider: this.provider, canSelectMany: true });
    this.limited = new RateLimitedLog(log);
    this.refresher = new Refresher(() => this.fetch(), {
      debounceMs: 150,
      pollMs: 0,
      onError: (err) => this.limited.warn(`snapshot list failed: ${err instanceof Error ? err.message : String(err)}`),
    });
    this.disposables.push(
      this.treeView,
      this.provider,
      this.treeView.onDidChangeVisibility((e) => this.refresher.setVisible(e.visible)),
      connection.onDidChange(() => {
        this.provider.set([]);
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
    const items = await state.client.listSnapshots();
    if (this.connection.state !== state) return;
    this.provider.set(items);
    this.refresher.setPollMs(items.some(snapshotIsBusy) ? BUSY_POLL_MS : 0);
  }

  dispose(): void {
    this.refresher.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
