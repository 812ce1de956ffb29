// The Sandboxes view: keeps the store fresh while the view is visible. A full list on show and on
// request; then pushed events; polling only while visible and push is down; nothing while hidden.
import { RateLimitedLog } from "../../core/rateLimitedLog";
import * as vscode from "vscode";
import { openEventStream, type EventStream } from "../../core/daytona/events";
import { SandboxStore } from "../../core/daytona/sandboxStore";
import { Refresher } from "../../core/refresh/refresher";
import { DEFAULT_GROUP_BY, type SortKey, type TreeNode, type TreeOptions } from "../../core/tree/sandboxTree";
import type { ConnectionManager } from "../../connection/connectionManager";
import { SandboxesProvider } from "./sandboxesProvider";
import { MetricsCache } from "../../core/daytona/metricsCache";
import type { ComposeServices } from "./composeServices";

export interface SandboxFilter {
  text?: string;
  states?: TreeOptions["states"];
}

export class SandboxesView implements vscode.Disposable {
  readonly store = new SandboxStore();
  readonly provider: SandboxesProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  private readonly refresher: Refresher;
  private events?: EventStream;
  private eventsGeneration = 0;
  private pushActive = false;
  private filter: SandboxFilter = {};
  private readonly disposables: vscode.Disposable[] = [];

  private services?: ComposeServices;
  /** Tooltip usage, per connection (cleared when it changes). */
  private readonly metrics = new MetricsCache((id) => this.connection.client().metrics(id));

  /** Poll failures (a stopped server, a network outage) once per cause a minute. */
  private readonly limited: RateLimitedLog;

  constructor(
    private readonly connection: ConnectionManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.provider = new SandboxesProvider(this.store, () => this.options(), () => this.services?.map, (id) => this.metrics.get(id));
    this.treeView = vscode.window.createTreeView("daytona.sandboxes", { treeDataProvider: this.provider, showCollapseAll: true, canSelectMany: true });
    this.limited = new RateLimitedLog(log);
    this.refresher = new Refresher(() => this.fetch(), {
      debounceMs: 150,
      pollMs: this.pollMs(),
      onError: (err) => this.limited.warn(`sandbox list failed: ${err instanceof Error ? err.message : String(err)}`),
    });
    this.disposables.push(
      this.treeView,
      this.provider,
      this.treeView.onDidChangeVisibility((e) => this.visibilityChanged(e.visible)),
      connection.onDidChange(() => this.connectionChanged()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("daytona.refresh")) this.refresher.setPollMs(this.pollMs());
        if (e.affectsConfiguration("daytona.sandboxes")) this.provider.rebuild();
      }),
    );
    this.connectionChanged();
    this.visibilityChanged(this.treeView.visible);
  }

  private pollMs(): number {
    return Math.max(0, vscode.workspace.getConfiguration("daytona").get<number>("refresh.pollIntervalSeconds", 30)) * 1000;
  }

  private options(): TreeOptions {
    const cfg = vscode.workspace.getConfiguration("daytona");
    return {
      groupBy: cfg.get<string[]>("sandboxes.groupBy", DEFAULT_GROUP_BY),
      sort: cfg.get<SortKey>("sandboxes.sortBy", "name"),
      ...this.filter,
    };
  }

  setFilter(filter: SandboxFilter): void {
    this.filter = filter;
    const parts = [filter.text ? `"${filter.text}"` : undefined, filter.states?.length ? filter.states.join(", ") : undefined].filter(Boolean);
    this.treeView.description = parts.length ? `filter: ${parts.join(" · ")}` : undefined;
    void vscode.commands.executeCommand("setContext", "daytona.sandboxes.filtered", parts.length > 0);
    this.provider.rebuild();
  }

  get currentFilter(): SandboxFilter {
    return this.filter;
  }

  /** Ask for a fresh list (debounced; nothing happens while the view is hidden). */
  refresh(): void {
    this.refresher.request();
  }

  /** Compose services shown under their sandboxes (set once the file system's targets exist). */
  attachServices(services: ComposeServices): void {
    this.services = services;
    this.disposables.push(services, services.onDidChange(() => this.provider.rebuild()));
  }

  get composeServices(): ComposeServices | undefined {
    return this.services;
  }

  /** Shows the Sandboxes view with a sandbox selected (when it is listed). */
  async reveal(sandboxId: string): Promise<void> {
    const node = this.provider.nodeFor(sandboxId);
    if (node) await this.treeView.reveal(node, { select: true, focus: false, expand: true }).then(undefined, () => undefined);
  }

  /** Pushed events are flowing (so the view does not poll). */
  get pushConnected(): boolean {
    return this.pushActive;
  }

  /** A command changed something: re-list unless pushed events will bring the change anyway. */
  changed(): void {
    if (!this.pushActive) this.refresher.request();
  }

  /** Fetch now and wait for it. */
  refreshNow(): Promise<void> {
    return this.refresher.now();
  }

  private async fetch(): Promise<void> {
    const state = this.connection.state;
    if (state.kind !== "connected") return;
    const records = await state.client.listSandboxes();
    if (this.connection.state !== state) return; // the connection changed while we waited
    this.store.replaceAll(records);
    this.treeView.message = undefined;
    void vscode.commands.executeCommand("setContext", "daytona.sandboxes.empty", records.length === 0);
  }

  private connectionChanged(): void {
    this.closeEvents();
    this.metrics.clear();
    this.store.clear();
    const state = this.connection.state;
    this.treeView.message = state.kind === "connecting" ? `Connecting to ${state.profile.label}…` : undefined;
    if (state.kind === "connected") {
      if (this.treeView.visible) this.openEvents();
      this.refresher.request(); // fetches now if visible, else when the view is shown
    }
  }

  private visibilityChanged(visible: boolean): void {
    this.refresher.setVisible(visible);
    if (visible && this.connection.state.kind === "connected") this.openEvents();
    if (!visible) this.closeEvents(); // hidden views cost nothing: no socket, no requests
  }

  private openEvents(): void {
    const state = this.connection.state;
    if (state.kind !== "connected" || this.events) return;
    const gen = ++this.eventsGeneration;
    openEventStream(
      { apiUrl: state.apiUrl, token: state.token, organizationId: state.profile.organizationId },
      {
        onEvent: (e) => {
          if (e.record) this.store.upsert(e.record);
          else if (e.newState) this.store.setState(e.id, e.newState);
        },
        onStatus: (connected) => {
          if (gen !== this.eventsGeneration) return;
          this.pushActive = connected;
          this.refresher.setPushActive(connected);
          if (connected) this.refresher.request(); // catch up on what was missed while down
        },
      },
    ).then(
      (stream) => {
        if (gen === this.eventsGeneration) this.events = stream;
        else stream.dispose();
      },
      (err) => this.log.warn(`sandbox events unavailable, polling instead: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private closeEvents(): void {
    this.eventsGeneration++;
    this.events?.dispose();
    this.events = undefined;
    this.pushActive = false;
    this.refresher.setPushActive(false);
  }

  dispose(): void {
    this.closeEvents();
    this.refresher.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
