// Which compose services run in which Docker-in-Docker sandbox. Filled when a compose project is
// opened, and found again (one exec, by compose labels) for a started sandbox that carries the
// compose-project label but was not seen yet in this window, e.g. after a reload.
import * as vscode from "vscode";
import { COMPOSE_PROJECT_LABEL } from "../../core/create/openCompose";
import { discoverServices } from "../../core/dind";
import type { SandboxStore } from "../../core/daytona/sandboxStore";
import type { ServicesBySandbox } from "../../core/tree/sandboxTree";
import type { TargetRegistry } from "../../fs/targetRegistry";

type Services = Array<{ name: string; state: string }>;

export class ComposeServices implements vscode.Disposable {
  private readonly byId = new Map<string, Services>();
  /** Sandbox ids (with the state they were looked at in) already discovered or in progress. */
  private readonly looked = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly sub: { dispose(): void };

  constructor(
    private readonly store: SandboxStore,
    private readonly targets: TargetRegistry,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.sub = store.onDidChange(() => this.discoverMissing());
  }

  get map(): ServicesBySandbox {
    return this.byId;
  }

  set(sandboxId: string, services: Services): void {
    this.byId.set(sandboxId, services);
    this.looked.add(`${sandboxId}:started`);
    this.emitter.fire();
  }

  private discoverMissing(): void {
    for (const r of this.store.all()) {
      const project = r.labels[COMPOSE_PROJECT_LABEL];
      const key = `${r.id}:${r.state}`;
      if (!project || r.state !== "started" || this.looked.has(key)) continue;
      this.looked.add(key);
      void (async () => {
        try {
          const found = await discoverServices(await this.targets.get(r.id), project);
          this.set(r.id, found.map((s) => ({ name: s.name, state: s.state })));
        } catch (err) {
          this.log.warn(`could not list the compose services of ${r.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      })();
    }
    // A stopped sandbox's services are not running; look again when it starts.
    for (const r of this.store.all()) if (r.state !== "started") this.looked.delete(`${r.id}:started`);
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
