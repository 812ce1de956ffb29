// "Open in Daytona sandbox" for a compose file with two or more services: the Docker-in-Docker
// sandbox made before for it (started if stopped, its services found by their compose labels), or a
// new one brought up by core/dind.
import type { DaytonaClient } from "../daytona/client";
import type { SandboxRecord } from "../daytona/records";
import { bringUp, discoverServices, type DindPlan } from "../dind";
import { SandboxTarget } from "../targets/sandboxTarget";
import { findReusable } from "./createFromPlan";
import { sandboxName } from "./openWorkspace";

/** Marks a sandbox as a compose project's, so its services can be found again (tree, terminals, files). */
export const COMPOSE_PROJECT_LABEL = "daytona.vscode/compose-project";

export interface ComposeOpenResult {
  sandbox: SandboxRecord;
  reused: boolean;
  project: string;
  /** The compose project's folder inside the sandbox. */
  remoteDir: string;
  services: Array<{ name: string; state: string }>;
  defaultService: string;
}

export interface ComposeOpenOptions {
  log(line: string): void;
  signal?: AbortSignal;
  syncCacheDir?: string;
}

export async function openCompose(client: DaytonaClient, plan: DindPlan, options: ComposeOpenOptions): Promise<ComposeOpenResult> {
  const labelled: DindPlan = { ...plan, sandbox: { ...plan.sandbox, labels: { ...plan.sandbox.labels, [COMPOSE_PROJECT_LABEL]: plan.project } } };
  const existing = await findReusable(client, labelled);
  if (existing) {
    options.log(`Reusing sandbox ${existing.name}`);
    if (existing.state !== "started") {
      options.log(`Starting sandbox ${existing.name}`);
      await client.start(existing.id);
    }
    const target = await SandboxTarget.create(await client.toolbox(existing.id), existing.name);
    const found = await discoverServices(target, plan.project);
    const home = await target.homeDir();
    return {
      sandbox: await client.getSandbox(existing.id),
      reused: true,
      project: plan.project,
      remoteDir: `${home.replace(/\/+$/, "")}/${plan.project}`,
      services: found.map((s) => ({ name: s.name, state: s.state })),
      defaultService: plan.defaultService,
    };
  }
  const up = await bringUp(client, labelled, { name: sandboxName(plan.folder), log: options.log, signal: options.signal, syncCacheDir: options.syncCacheDir });
  return {
    sandbox: await client.getSandbox(up.sandboxId),
    reused: false,
    project: up.project,
    remoteDir: up.projectDir,
    services: up.services.map((s) => ({ name: s.name, state: "running" })),
    defaultService: plan.defaultService,
  };
}
