// One folder's run: incremental sync into its sandbox, then the test command as a session command in
// the sandbox (or in N forks of it at once), output streamed into the TestRun, results parsed live
// (TAP, go test -json, libtest) or from the JUnit report at the end, each handed to `report`.
import * as path from "node:path";
import type * as vscode from "vscode";
import type { DaytonaClient, SdkSandbox } from "../core/daytona/client";
import { forkNames, forkSandbox } from "../core/daytona/snapshotFork";
import type { SandboxRecord } from "../core/daytona/records";
import { shellQuote } from "../core/shell/quote";
import { sandboxTarget, syncFolder } from "../core/sync";
import { createReportStream, parseReport, type TestCommand, type TestResult } from "../core/testing";
import { forkSegment, type PathContext } from "./itemPaths";
import { runSessionCommand } from "./sessionCommand";

export interface RunTarget {
  client: DaytonaClient;
  folder: string;
  sandbox: SandboxRecord;
  syncCacheDir: string;
}

export interface ExecResult {
  /** The fork's name, for fan-out runs. */
  fork?: string;
  results: TestResult[];
  errors: string[];
  exitCode: number | undefined;
  cancelled: boolean;
  /** The last few KiB of the command's output (to tell why it could not run). */
  outputTail: string;
}

const TAIL_CHARS = 8192;

export interface ProjectRunOptions {
  run: Pick<vscode.TestRun, "appendOutput">;
  signal: AbortSignal;
  report(result: TestResult, ctx: PathContext): void;
  /** Fan-out: the number of forks; they are deleted afterwards unless keepForks. */
  forks?: number;
  keepForks?: boolean;
  onForks?(forks: SandboxRecord[]): void;
  log(message: string): void;
}

const out = (text: string) => text.replace(/\r?\n/g, "\r\n");

export async function remoteDirOf(sdk: SdkSandbox, folder: string): Promise<string> {
  const home = (await sdk.getUserHomeDir()) ?? "/home/daytona";
  return path.posix.join(home, path.basename(folder) || "workspace");
}

export async function runProject(t: RunTarget, cmd: TestCommand, o: ProjectRunOptions): Promise<ExecResult[]> {
  let sandbox = t.sandbox;
  if (sandbox.state !== "started") {
    o.run.appendOutput(out(`Starting sandbox ${sandbox.name}\n`));
    await t.client.start(sandbox.id);
    sandbox = await t.client.getSandbox(sandbox.id);
  }
  const sdk = await t.client.toolbox(sandbox.id);
  const remoteDir = await remoteDirOf(sdk, t.folder);
  const synced = await syncFolder(sandboxTarget(sdk), t.folder, remoteDir, { cacheDir: path.join(t.syncCacheDir, sandbox.id), signal: o.signal });
  o.run.appendOutput(out(`Synced ${synced.uploadedFiles} file(s) to ${sandbox.name}:${remoteDir}\n$ ${cmd.command}\n`));
  const ctx: PathContext = { remoteDir, localFolder: t.folder };
  if (!o.forks) return [await execute(sdk, cmd, ctx, o)];

  const existing = new Set((await t.client.listSandboxes()).map((s) => s.name));
  const names = forkNames(sandbox.name, o.forks, existing);
  o.run.appendOutput(out(`Forking ${sandbox.name} into ${names.join(", ")}\n`));
  const made = await Promise.allSettled(names.map((n) => forkSandbox(t.client, sandbox, n)));
  const forks = made.flatMap((m) => (m.status === "fulfilled" ? [m.value] : []));
  o.onForks?.(forks);
  try {
    for (const m of made) if (m.status === "rejected") o.run.appendOutput(out(`A fork failed: ${errorText(m.reason)}\n`));
    return await Promise.all(
      forks.map(async (f) => {
        const fsdk = await t.client.toolbox(f.id);
        const r = await execute(fsdk, cmd, { ...ctx, prefix: [forkSegment(f.name)] }, o, `[${f.name}] `);
        return { ...r, fork: f.name };
      }),
    );
  } finally {
    if (!o.keepForks) {
      await Promise.all(forks.map((f) => t.client.delete(f.id).catch((err: unknown) => o.log(`tests: could not delete fork ${f.name}: ${errorText(err)}`))));
    }
  }
}

/** Runs the command once in one sandbox whose folder is already in place (also used by fixture runs). */
export async function execute(sdk: SdkSandbox, cmd: TestCommand, ctx: PathContext, o: ProjectRunOptions, prefix = ""): Promise<ExecResult> {
  const results: TestResult[] = [];
  const onResult = (r: TestResult) => {
    results.push(r);
    o.report(r, ctx);
  };
  let tail = "";
  const keep = (text: string) => (tail = (tail + text).slice(-TAIL_CHARS));
  const show = prefixer(prefix, (text) => o.run.appendOutput(out(text)));
  const options = { ...cmd.parseOptions, root: ctx.remoteDir };
  // go test -json's own lines are JSON: the run shows the test output they carry instead.
  const structured = cmd.format === "gotest-json";
  const stream = createReportStream(cmd.format, { onResult, ...(structured ? { onOutput: (text: string) => show(text) } : {}) }, options);
  const report = cmd.reportPath ? path.posix.join(ctx.remoteDir, cmd.reportPath) : undefined;
  const command = report ? `rm -f ${shellQuote(report)}; ${cmd.command}` : cmd.command;
  const r = await runSessionCommand(sdk, {
    command,
    cwd: ctx.remoteDir,
    signal: o.signal,
    onStdout: (chunk) => {
      keep(chunk);
      if (!structured) show(chunk);
      stream?.push(chunk);
    },
    onStderr: (chunk) => {
      keep(chunk);
      show(chunk);
    },
  });
  show("");
  const base = { results, exitCode: r.exitCode, cancelled: r.cancelled, outputTail: tail };
  if (r.cancelled) {
    show("\nCancelled: the test process was stopped.\n");
    return { ...base, errors: [] };
  }
  let errors: string[];
  if (report) {
    const xml = await sdk.fs.downloadFile(report).catch(() => undefined);
    if (!xml) {
      errors = [`the test command wrote no report at ${report} (exit code ${r.exitCode ?? "unknown"})`];
    } else {
      const parsed = parseReport(cmd.format, xml.toString("utf8"), options);
      for (const res of parsed.results) onResult(res);
      errors = parsed.errors;
    }
  } else {
    errors = stream?.end().errors ?? [];
  }
  for (const e of errors) show(`\nDaytona: ${e}\n`);
  show(`\nExit code ${r.exitCode ?? "unknown"}: ${results.filter((x) => x.status === "passed").length} passed, ${results.filter((x) => x.status === "failed").length} failed, ${results.filter((x) => x.status === "skipped").length} skipped\n`);
  return { ...base, errors };
}

/** Puts `prefix` at the start of every line (fan-out output); "" flushes nothing. */
function prefixer(prefix: string, write: (text: string) => void): (text: string) => void {
  if (!prefix) return (text) => text && write(text);
  let atStart = true;
  return (text) => {
    if (!text) return;
    let s = "";
    for (const ch of text.split(/(?<=\n)/)) {
      s += (atStart ? prefix : "") + ch;
      atStart = ch.endsWith("\n");
    }
    write(s);
  };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
