// The Volumes view: listed when shown and after changes; re-checked while visible only while a
// volume is being created or deleted (nothing is pushed for volumes). Hidden: no requests.
import * as vscode from "vscode";
import type { VolumeRecord } from "../../core/daytona/volumes";
import { Refresher } from "../../core/refresh/refresher";
import type { ConnectionManager } from "../../connection/connectionManager";
import { volumeIsBusy, VolumesProvider } from "./volumesProvider";

const BUSY_POLL_MS = 1000;

export class VolumesView implements vscode.Disposable {
  readonly provider = new VolumesProvider();
  readonly treeView: vscode.TreeView<VolumeRecord>;
  private readonly refresher: Refresher;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ConnectionManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.treeView = vscode.window.createTreeView("daytona.volumes", { treeDataProvider: this.provider, canSelectMany: true });
    this.refresher = new Refresher(() => this.fetch(), {
      debounceMs: 150,
      pollMs: 0,
      onError: (err) => this.log.warn(`volume list failed: ${err instanceof Error ? err.message : String(err)}`),
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
    const items = await state.client.listVolumes();
    if (this.connection.state !== state) return;
    this.provider.set(items);
    this.treeView.message = items.length === 0 ? "No volumes. Volumes keep files across sandboxes; create one with +." : undefined;
    this.refresher.setPollMs(items.some(volumeIsBusy) ? BUSY_POLL_MS : 0);
  }

  dispose(): void {
    this.refresher.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
