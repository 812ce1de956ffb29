// Which local folders have a sandbox to run tests in: the workspace's file folders plus folders tests
// were run on before, each with the sandbox "Open in Daytona Sandbox" made for it (found by its labels).
// Looked up once per folder when the connection changes; later sandbox list changes are matched
// against the cached label selectors locally, so no request is made per store event.
import * as vscode from "vscode";
import { planFromPath } from "../core/config";
import { reuseSelector } from "../core/create/createParams";
import type { SandboxRecord } from "../core/daytona/records";
import type { Services } from "../services";
import { pickSandbox } from "./pickSandbox";

const REMEMBERED = "daytona.tests.folders";

interface Entry {
  selector?: Record<string, string>;
  sandbox?: SandboxRecord;
}

export class ProjectSandboxes implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subs: vscode.Disposable[] = [];
  private generation = 0;

  constructor(private readonly services: Services) {
    this.subs.push(
      this.emitter,
      services.connection.onDidChange(() => void this.refresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
    );
    const store = services.sandboxes.store.onDidChange(() => this.matchStore());
    this.subs.push({ dispose: () => store.dispose() });
  }

  folders(): string[] {
    const ws = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
    const remembered = this.services.context.workspaceState.get<string[]>(REMEMBERED, []);
    return [...new Set([...ws, ...remembered])];
  }

  /** Folders with a sandbox, from the cache. */
  withSandbox(): { folder: string; sandbox: SandboxRecord }[] {
    return [...this.entries].flatMap(([folder, e]) => (e.sandbox ? [{ folder, sandbox: e.sandbox }] : []));
  }

  cached(folder: string): SandboxRecord | undefined {
    return this.entries.get(folder)?.sandbox;
  }

  /** Keeps a folder outside the workspace in the list (tests were run on it). */
  async remember(folder: string): Promise<void> {
    const list = this.services.context.workspaceState.get<string[]>(REMEMBERED, []);
    if (!list.includes(folder)) await this.services.context.workspaceState.update(REMEMBERED, [...list, folder].slice(-20));
  }

  /** A fresh lookup for one folder (one request), updating the cache. */
  async lookup(folder: string): Promise<SandboxRecord | undefined> {
    const e = await this.entry(folder);
    const before = this.entries.get(folder)?.sandbox?.id;
    if (e.selector && this.services.connection.state.kind === "connected") {
      e.sandbox = pickSandbox(await this.services.connection.client().listSandboxes(e.selector), e.selector);
    }
    this.entries.set(folder, e);
    if (before !== e.sandbox?.id) this.emitter.fire();
    return e.sandbox;
  }

  /** Every folder again (on connect, folder changes). */
  async refresh(): Promise<void> {
    const gen = ++this.generation;
    if (this.services.connection.state.kind !== "connected") {
      this.entries.clear();
      this.emitter.fire();
      return;
    }
    const folders = this.folders();
    for (const f of [...this.entries.keys()]) if (!folders.includes(f)) this.entries.delete(f);
    await Promise.all(
      folders.map((f) =>
        this.lookup(f).catch((err: unknown) => this.services.log.warn(`tests: no sandbox lookup for ${f}: ${err instanceof Error ? err.message : String(err)}`)),
      ),
    );
    if (gen === this.generation) this.emitter.fire();
  }

  private async entry(folder: string): Promise<Entry> {
    const e = this.entries.get(folder) ?? {};
    if (!e.selector) {
      const plan = (await planFromPath(folder, { env: process.env as Record<string, string> })).plan;
      if (plan && plan.kind !== "compose-dind") e.selector = reuseSelector(plan.sandbox.labels);
    }
    return e;
  }

  /** A sandbox list change: re-match the cached selectors against the store, no requests. */
  private matchStore(): void {
    const store = this.services.sandboxes.store;
    if (!store.loaded) return;
    let changed = false;
    for (const e of this.entries.values()) {
      if (!e.selector) continue;
      const next = pickSandbox(store.all(), e.selector);
      if (next?.id !== e.sandbox?.id || next?.state !== e.sandbox?.state) changed = true;
      e.sandbox = next;
    }
    if (changed) this.emitter.fire();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
