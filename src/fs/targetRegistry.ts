// URI authority -> Target. "daytona://<sandboxId>/path" is the sandbox itself; compose services
// ("<sandboxId>+<service>") arrive with the Docker-in-Docker work.
import type * as vscode from "vscode";
import { SandboxTarget, toTargetError } from "../core/targets/sandboxTarget";
import { TargetError, type Target } from "../core/targets/target";
import { ServiceTarget } from "../core/targets/serviceTarget";
import { COMPOSE_PROJECT_LABEL } from "../core/create/openCompose";
import type { ConnectionManager } from "../connection/connectionManager";

export const SCHEME = "daytona";
const NOT_FOUND_TTL_MS = 30_000;

export function sandboxUri(sandboxId: string, path: string): string {
  return `${SCHEME}://${sandboxId}${path.startsWith("/") ? path : `/${path}`}`;
}

export class TargetRegistry implements vscode.Disposable {
  private targets = new Map<string, Promise<Target>>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly connection: ConnectionManager) {
    this.sub = connection.onDidChange(() => this.targets.clear());
  }

  get(authority: string): Promise<Target> {
    let t = this.targets.get(authority);
    if (!t) {
      t = this.create(authority);
      this.targets.set(authority, t);
      t.catch((err: unknown) => {
        // A sandbox that is gone stays gone for a while: editors of its files re-stat them often,
        // and each would otherwise cost a request. Other failures are retried on the next call.
        const gone = err instanceof TargetError && err.code === "notFound";
        if (gone) setTimeout(() => this.targets.get(authority) === t && this.targets.delete(authority), NOT_FOUND_TTL_MS).unref();
        else this.targets.delete(authority);
      });
    }
    return t;
  }

  /** Forget what is known about a sandbox (after it was deleted or re-created). */
  forget(sandboxId: string): void {
    for (const key of [...this.targets.keys()]) if (key === sandboxId || key.startsWith(`${sandboxId}+`)) this.targets.delete(key);
  }

  private async create(authority: string): Promise<Target> {
    if ((await this.connection.settled()).kind !== "connected") throw new TargetError("unavailable", "not connected to Daytona");
    const [sandboxId, service] = authority.split("+");
    if (service) {
      const sandbox = await this.get(sandboxId);
      const project = (await this.connection.client().getSandbox(sandboxId).catch(() => undefined))?.labels[COMPOSE_PROJECT_LABEL];
      if (!project) throw new TargetError("notFound", `sandbox ${sandboxId} runs no compose project (no ${COMPOSE_PROJECT_LABEL} label)`);
      return new ServiceTarget(sandbox, project, service);
    }
    try {
      const sdk = await this.connection.client().toolbox(sandboxId);
      return await SandboxTarget.create(sdk, sdk.name ?? sandboxId);
    } catch (err) {
      throw toTargetError(err, `sandbox ${sandboxId}`);
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.targets.clear();
  }
}
