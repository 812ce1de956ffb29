// Bring-up of a multi-service compose project in one Docker-in-Docker sandbox, discovery of its
// services by labels, and teardown. Any failure after the sandbox exists deletes it and says so.
import * as path from "node:path";
import type { DaytonaClient } from "../daytona/client";
import type { CreatePlan } from "../config/plan";
import { shellJoin } from "../shell/quote";
import { sandboxTarget, syncFolder } from "../sync";
import { SandboxTarget } from "../targets/sandboxTarget";
import { redactEnv, type Command } from "./command";
import { composeBuild, composeDown, composeDownByName, composeUp, containersByLabel, detectCompose, removeByLabel, type ComposeProject } from "./commands";
import { ensureDaemon, waitForServices } from "./daemon";
import { uploadRequiredIgnored } from "./requiredFiles";
import { DindError, execRaw, run, type Exec } from "./runner";

export type DindPlan = Extract<CreatePlan, { kind: "compose-dind" }>;

export interface BringUpOptions {
  log(line: string): void;
  signal?: AbortSignal;
  /** Local folder for sync's manifest cache. */
  syncCacheDir?: string;
  /** The new sandbox's name ("<folder>-<hash>", as folder sandboxes get); default: Daytona picks one. */
  name?: string;
  /** How long to wait for the daemon (default 60 s) and for v1 services to come up (default 300 s). */
  daemonTimeoutSeconds?: number;
  servicesTimeoutSeconds?: number;
  pollMs?: number;
}

export interface ServiceInfo {
  name: string;
  containerId: string;
}

export interface BringUpResult {
  sandboxId: string;
  project: string;
  /** The sandbox folder the uploads live under; `projectDir` and `file` are what compose is given. */
  remoteDir: string;
  projectDir: string;
  file: string;
  /** Override files / COMPOSE_FILE entries after `file`, and the variables compose was given: for teardown. */
  extraFiles?: string[];
  env?: Record<string, string>;
  services: ServiceInfo[];
  composeVersion: string;
}

/** Local folders to upload and where each goes: the layout relative to their common parent is kept, so relative build paths still work. */
export function uploadLayout(folder: string, contexts: readonly string[], remoteDir: string): Array<{ local: string; remote: string }> {
  const dirs = [folder, ...contexts].map((d) => path.resolve(d));
  const inside = (d: string, p: string) => d === p || d.startsWith(p.endsWith(path.sep) ? p : p + path.sep);
  const roots = dirs.filter((d, i) => !dirs.some((p, j) => j !== i && inside(d, p) && (d !== p || j < i)));
  let common = roots[0];
  while (!roots.every((d) => inside(d, common))) common = path.dirname(common);
  const rel = (d: string) => path.relative(common, d).split(path.sep).join("/");
  return roots.map((d) => ({ local: d, remote: rel(d) ? path.posix.join(remoteDir, rel(d)) : remoteDir }));
}

/** Where a local path under the upload layout is in the sandbox. */
function remoteOf(layout: Array<{ local: string; remote: string }>, local: string): string {
  const l = layout.find((e) => local === e.local || local.startsWith(e.local + path.sep));
  if (!l) throw new Error(`${local} is not among the uploaded folders`);
  const rel = path.relative(l.local, local).split(path.sep).join("/");
  return rel ? path.posix.join(l.remote, rel) : l.remote;
}

async function logged<T>(t: Exec, cmd: Command<T>, log: (line: string) => void): Promise<T> {
  log(`$ ${shellJoin(redactEnv(cmd.argv))}`);
  return run(t, cmd);
}

export async function bringUp(client: DaytonaClient, plan: DindPlan, o: BringUpOptions): Promise<BringUpResult> {
  const { log, signal } = o;
  const snap = plan.dindSnapshot;
  if (snap.image) {
    log(`Making sure snapshot ${snap.name} exists`);
    const { cpu, memory, disk, gpu } = snap.resources;
    const made = await client.ensureSnapshot({ name: snap.name, image: snap.image, resources: { cpu, memory, disk, ...(gpu ? { gpu } : {}) } }, { onLogs: log });
    log(made === "created" ? `Created snapshot ${snap.name}` : `Using snapshot ${snap.name}`);
  }
  signal?.throwIfAborted();
  const s = plan.sandbox;
  log(`Creating a sandbox from ${snap.name}`);
  const rec = await client.createSandbox(
    {
      ...(o.name ? { name: o.name } : {}),
      snapshot: snap.name,
      labels: s.labels,
      envVars: s.envVars,
      user: s.user,
      autoStopInterval: s.autoStopInterval,
      autoArchiveInterval: s.autoArchiveInterval,
      autoDeleteInterval: s.autoDeleteInterval,
      public: s.public,
      ephemeral: s.ephemeral,
      networkAllowList: s.networkAllowList,
      language: s.language,
    },
    s.timeoutSeconds ?? 300,
  );
  let sandbox: SandboxTarget | undefined;
  try {
    sandbox = await SandboxTarget.create(await client.toolbox(rec.id), rec.id);
    return await setUp(client, sandbox, plan, o);
  } catch (err) {
    log(`Bring-up failed; deleting sandbox ${rec.id}`);
    // Containers go with the sandbox's daemon; removing them first also covers a daemon that outlives it.
    if (sandbox) await execRaw(sandbox, removeByLabel(plan.project)).catch(() => undefined);
    const deleted = await client.delete(rec.id).then(
      () => "The sandbox was deleted.",
      (e: unknown) => `Deleting the sandbox failed too: ${e instanceof Error ? e.message : String(e)}`,
    );
    log(deleted);
    if (err instanceof DindError) throw new DindError(`${err.message}\n${deleted}`, err.argv, err.exitCode, err.output, err.cause);
    const why = signal?.aborted ? "Bring-up cancelled" : `Bring-up failed: ${err instanceof Error ? err.message : String(err)}`;
    throw new DindError(`${why}\n${deleted}`, undefined, undefined, undefined, err);
  }
}

async function setUp(client: DaytonaClient, t: SandboxTarget, plan: DindPlan, o: BringUpOptions): Promise<BringUpResult> {
  const { log, signal } = o;
  const sandboxId = t.key;
  const sdk = await client.toolbox(sandboxId);
  const version = await ensureDaemon(t, { log, signal, timeoutSeconds: o.daemonTimeoutSeconds, intervalMs: o.pollMs });
  log(`Docker daemon ${version} is answering`);
  const cli = await run(t, detectCompose);
  log(`Using ${cli.argv.join(" ")} ${cli.version}`);
  signal?.throwIfAborted();

  const remoteDir = path.posix.join(await t.homeDir(), plan.project);
  const layout = uploadLayout(plan.folder, plan.buildContexts, remoteDir);
  for (const { local, remote } of layout) {
    log(`Uploading ${local} to ${remote}`);
    const r = await syncFolder(sandboxTarget(sdk), local, remote, { cacheDir: o.syncCacheDir, signal, outsideLinks: "skip" });
    for (const sk of r.skipped) log(`  skipped ${sk.path}: ${sk.reason}`);
  }
  const sent = await uploadRequiredIgnored(sandboxTarget(sdk), layout, plan.requiredFiles ?? [], { log, signal, cacheDir: o.syncCacheDir });
  if (sent.length) log(`${sent.length} file(s) compose needs were uploaded although ignored; add them to .daytonaignore as !path to say so explicitly`);
  const p = composeProject(plan, layout, cli);

  const names = plan.services.map((sv) => sv.name);
  const built = plan.services.filter((sv) => sv.build).map((sv) => sv.name);
  if (built.length) await logged(t, composeBuild(p, built), log);
  signal?.throwIfAborted();
  await logged(t, composeUp(p, names), log);
  const up = await waitForServices(t, p, names, { log, signal, timeoutSeconds: cli.v2 ? 0 : o.servicesTimeoutSeconds, intervalMs: o.pollMs });
  const services = names.map((name) => ({ name, containerId: up.get(name)!.id }));
  log(`Services up: ${names.join(", ")}`);
  return { sandboxId, project: plan.project, remoteDir, projectDir: p.projectDir, file: p.file, extraFiles: p.extraFiles, env: p.env, services, composeVersion: cli.version };
}

/**
 * How compose is called in the sandbox: the project folder and every compose file at their uploaded
 * places, and PWD set to the project folder there (Compose reads `${PWD}` as the folder it runs in).
 */
export function composeProject(plan: DindPlan, layout: Array<{ local: string; remote: string }>, cli: ComposeProject["cli"]): ComposeProject {
  const projectDir = remoteOf(layout, path.resolve(plan.folder));
  const files = (plan.composeFiles?.length ? plan.composeFiles : [plan.file]).map((f) => remoteOf(layout, path.resolve(f)));
  return { cli, project: plan.project, projectDir, file: files[0], extraFiles: files.slice(1), env: { ...plan.composeEnv, PWD: projectDir } };
}

/** The services of a project running in a sandbox (to reconnect later), found by compose labels. */
export async function discoverServices(sandbox: Exec, project: string): Promise<Array<ServiceInfo & { state: string; status: string }>> {
  const rows = await run(sandbox, containersByLabel(project));
  const byService = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const seen = byService.get(r.service);
    if (!seen || (seen.state !== "running" && r.state === "running")) byService.set(r.service, r);
  }
  return [...byService.values()].sort((a, b) => a.service.localeCompare(b.service)).map((r) => ({ name: r.service, containerId: r.id, state: r.state, status: r.status }));
}

export interface TeardownOptions {
  log?(line: string): void;
  /** Where bring-up put the project; without it compose v2 works from labels alone. */
  compose?: { projectDir: string; file: string; extraFiles?: string[]; env?: Record<string, string> };
}

/**
 * `compose down --remove-orphans`, then a sweep of anything still labelled with the project (v1 cannot
 * `down` without its file), then the sandbox is deleted. Cleanup failures are logged, not fatal.
 */
export async function teardown(client: DaytonaClient, sandboxId: string, project: string, o: TeardownOptions = {}): Promise<void> {
  const log = o.log ?? (() => undefined);
  try {
    const t = await SandboxTarget.create(await client.toolbox(sandboxId), sandboxId);
    const cli = await run(t, detectCompose);
    const c = o.compose;
    const down = c ? composeDown({ cli, project, projectDir: c.projectDir, file: c.file, extraFiles: c.extraFiles, env: c.env ?? {} }) : cli.v2 ? composeDownByName(cli, project) : undefined;
    const r = down ? await execRaw(t, down) : undefined;
    if (r && r.exitCode !== 0) log(`compose down failed (exit ${r.exitCode}): ${r.output.trim()}`);
    const sweep = await execRaw(t, removeByLabel(project));
    if (sweep.exitCode !== 0) log(`Removing leftover containers failed: ${sweep.output.trim()}`);
  } catch (err) {
    log(`Cleaning up compose project ${project} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  await client.delete(sandboxId);
}
