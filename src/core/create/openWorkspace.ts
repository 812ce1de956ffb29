// "Open in Daytona sandbox" without the UI: plan -> the sandbox made before for this folder and
// config (started if stopped) or a new one -> the folder synced into it. Multi-service compose plans
// go through Docker-in-Docker (core/dind).
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import type { DaytonaClient } from "../daytona/client";
import type { SandboxRecord } from "../daytona/records";
import type { CreatePlan } from "../config/plan";
import { sandboxTarget, syncFolder, type SyncProgress, type SyncResult } from "../sync";
import { createFromPlan, findReusable, type SinglePlan } from "./createFromPlan";

export interface OpenOptions {
  onLog?(line: string): void;
  onStep?(message: string): void;
  onSyncProgress?(p: SyncProgress): void;
  signal?: AbortSignal;
  /** Where the sync keeps its local manifests (one folder per sandbox). */
  syncCacheDir: string;
}

export interface OpenResult {
  sandbox: SandboxRecord;
  reused: boolean;
  /** The synced folder inside the sandbox. */
  remoteDir: string;
  sync: SyncResult;
}

export async function openSingle(client: DaytonaClient, plan: SinglePlan, options: OpenOptions): Promise<OpenResult> {
  let sandbox = await findReusable(client, plan);
  const reused = sandbox !== undefined;
  if (sandbox) {
    options.onStep?.(`Reusing sandbox ${sandbox.name}`);
    if (sandbox.state !== "started") {
      options.onStep?.(`Starting sandbox ${sandbox.name}`);
      await client.start(sandbox.id);
      sandbox = await client.getSandbox(sandbox.id);
    }
  } else {
    options.onStep?.(plan.kind === "dockerfile" || plan.sandbox.image?.kind === "dockerfile" ? "Building the image and creating the sandbox" : "Creating the sandbox");
    sandbox = await createFromPlan(client, plan, { onLog: options.onLog, signal: options.signal, name: sandboxName(plan.folder) });
  }
  options.signal?.throwIfAborted();
  const sdk = await client.toolbox(sandbox.id);
  const home = (await sdk.getUserHomeDir()) ?? "/home/daytona";
  const remoteDir = path.posix.join(home, path.basename(plan.folder) || "workspace");
  options.onStep?.(`Syncing ${path.basename(plan.folder)} to ${remoteDir}`);
  const sync = await syncFolder(sandboxTarget(sdk), plan.folder, remoteDir, {
    cacheDir: path.join(options.syncCacheDir, sandbox.id),
    signal: options.signal,
    onProgress: options.onSyncProgress,
  });
  return { sandbox, reused, remoteDir, sync };
}

/** A readable, unique name from the folder: "my-app-3f9c". Daytona names allow letters, digits, . _ - */
export function sandboxName(folder: string): string {
  const base = path.basename(folder).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+|-+$/g, "").slice(0, 40) || "workspace";
  return `${base}-${randomBytes(2).toString("hex")}`;
}

export function isSinglePlan(plan: CreatePlan): plan is SinglePlan {
  return plan.kind !== "compose-dind";
}
