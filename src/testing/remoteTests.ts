// The Test Explorer side of "run the tests in the sandbox": one TestController, a root and two run
// profiles ("Run in Daytona sandbox", "Run in N forks of the sandbox") per folder that has a sandbox,
// and run() for the commands and tests.
import * as path from "node:path";
import * as vscode from "vscode";
import type { SandboxRecord } from "../core/daytona/records";
import type { TestRef } from "../core/testing";
import type { Services } from "../services";
import { relativeFile } from "./itemPaths";
import { ProjectSandboxes } from "./projects";
import { errorText, runProject, type ExecResult } from "./runProject";
import { missingRunnerReason, offerRunnerInstall } from "./runnerInstall";
import { narrow, testCommandFor, type Selection } from "./testCommand";
import { TestTree, reportResult } from "./testTree";

export interface RunOptions {
  /** "file": only this local file; "failed": the tests that failed last time; default all. */
  kind?: "all" | "file" | "failed";
  file?: string;
  /** Fan-out to this many forks. */
  forks?: number;
  token?: vscode.CancellationToken;
  /** Items the run is about (for the Test Explorer's request); default what the selection runs. */
  include?: vscode.TestItem[];
}

export interface RunSummary {
  folder: string;
  sandboxId: string;
  command: string;
  runs: ExecResult[];
  forks: SandboxRecord[];
  cancelled: boolean;
  note?: string;
}

export class RemoteTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController("daytona.tests", "Daytona Sandboxes");
  readonly projects: ProjectSandboxes;
  readonly tree: TestTree;
  private readonly lastFailures = new Map<string, TestRef[]>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly services: Services) {
    this.projects = new ProjectSandboxes(services);
    this.tree = new TestTree(this.controller);
    // One pair of profiles for every folder: the Testing view's "Run All" calls the default profile
    // once with no include, which must mean every folder (per-folder tagged profiles ran only one).
    const single = this.controller.createRunProfile("Run in Daytona sandbox", vscode.TestRunProfileKind.Run, (req, token) => this.handle(req, token), true);
    const fan = this.controller.createRunProfile("Run in N forks of the sandbox", vscode.TestRunProfileKind.Run, (req, token) => this.handle(req, token, true), false);
    this.subs.push(this.controller, single, fan, this.projects, this.projects.onDidChange(() => this.sync()));
    this.controller.refreshHandler = () => this.projects.refresh();
  }

  /** Folders with a sandbox (from the cache). */
  folders(): string[] {
    return this.projects.withSandbox().map((p) => p.folder);
  }

  failures(folder: string): readonly TestRef[] {
    return this.lastFailures.get(folder) ?? [];
  }

  /** Roots follow the folders that have a sandbox. */
  private sync(): void {
    const roots = this.projects.withSandbox().map((p) => ({ folder: p.folder, label: path.basename(p.folder) }));
    this.tree.setRoots(roots);
    void vscode.commands.executeCommand("setContext", "daytona.tests.active", roots.length > 0);
  }

  /**
   * A run started from the Test Explorer: every folder the request touches (all of them for "Run
   * All"), each narrowed to its included items, all into the request's own TestRun so that the
   * Testing view's entry for it is the one that fills (no empty "Test run at ..." beside it).
   */
  private async handle(req: vscode.TestRunRequest, token: vscode.CancellationToken, fanOut = false): Promise<void> {
    const excluded = new Set(req.exclude ?? []);
    const byFolder = new Map<string, vscode.TestItem[] | undefined>();
    if (!req.include) {
      for (const folder of this.folders()) {
        const root = this.tree.root(folder);
        if (!root || !excluded.has(root)) byFolder.set(folder, undefined);
      }
    } else {
      for (const item of req.include) {
        const folder = this.tree.folderOf.get(item);
        if (folder) byFolder.set(folder, [...(byFolder.get(folder) ?? []), item]);
      }
    }
    let forks: number | undefined;
    if (fanOut && byFolder.size) {
      forks = await askForks();
      if (!forks) return;
    }
    if (!byFolder.size) {
      // Still end the request's run, with the reason, instead of leaving an empty entry.
      const run = this.controller.createTestRun(req, "Daytona", false);
      run.appendOutput("Daytona: no folder with a sandbox to run tests in. Open a folder in a Daytona sandbox first.\r\n");
      run.end();
      return;
    }
    await Promise.all(
      [...byFolder].map(([folder, include]) => {
        const sel = this.selectionOf(folder, include);
        return this.run(folder, { ...sel, forks, token, include, request: req }).catch((err: unknown) => this.fail(folder, err));
      }),
    );
  }

  private selectionOf(folder: string, include: vscode.TestItem[] | undefined): Pick<RunOptions, "kind" | "file"> & { refs?: TestRef[] } {
    if (!include?.length || include.some((i) => i === this.tree.root(folder))) return { kind: "all" };
    const refs = include.map((i) => this.tree.refs.get(i));
    if (refs.every((r): r is TestRef => r !== undefined)) return { kind: "failed", refs };
    const files = new Set(include.map((i) => this.tree.fileOf.get(i) ?? i.uri?.fsPath));
    const [file] = files;
    return files.size === 1 && file ? { kind: "file", file } : { kind: "all" };
  }

  /**
   * The items a run is about. A narrowed run names only what it runs (the file's item, the failed
   * tests' items): the Testing view marks every included test it gets no result for as skipped, so
   * including the root would turn the other files' "passed" into "skipped".
   */
  private includeFor(folder: string, sel: Selection, narrowedTo: boolean): vscode.TestItem[] | undefined {
    const root = this.tree.root(folder);
    if (!root) return undefined;
    if (sel.kind === "all" || !narrowedTo) return [root];
    const items = sel.kind === "file" ? this.tree.fileItems(folder, path.join(folder, sel.relativeFile)) : this.tree.testItems(folder, sel.tests);
    return items.length ? items : [root];
  }

  /** Runs a folder's tests in its sandbox (or N forks of it) into a new TestRun (or the request's). */
  async run(folder: string, options: RunOptions & { refs?: TestRef[]; request?: vscode.TestRunRequest } = {}): Promise<RunSummary> {
    // The test command comes from the workspace (its settings or its project files).
    if (!vscode.workspace.isTrusted) throw new Error("this workspace is not trusted: its tests run once you trust it (Workspaces: Manage Workspace Trust)");
    const client = await this.services.connection.readyClient();
    await this.projects.remember(folder);
    const sandbox = this.projects.cached(folder) ?? (await this.projects.lookup(folder));
    if (!sandbox) throw new Error(`${path.basename(folder)} has no sandbox: open it with "Open in Daytona Sandbox" first`);
    if (!this.tree.root(folder)) this.sync();
    const root = this.tree.root(folder);
    const sel = this.selection(folder, options);
    const base = await testCommandFor(folder);
    const { cmd, note } = narrow(base, sel);
    const include = options.include?.length ? options.include : this.includeFor(folder, sel, note === undefined);
    const request = options.request ?? new vscode.TestRunRequest(include);
    const run = this.controller.createTestRun(request, `Daytona: ${path.basename(folder)}`, true);
    const abort = new AbortController();
    const cancel = options.token?.onCancellationRequested(() => abort.abort());
    for (const item of include ?? []) run.started(item);
    if (note) run.appendOutput(`${note}\r\n`);
    if (options.forks) this.tree.clearForks(folder);
    const config = vscode.workspace.getConfiguration("daytona.tests", vscode.Uri.file(folder));
    let forks: SandboxRecord[] = [];
    try {
      const runs = await runProject(
        { client, folder, sandbox, syncCacheDir: path.join(this.services.context.globalStorageUri.fsPath, "sync") },
        cmd,
        {
          run,
          signal: abort.signal,
          forks: options.forks,
          keepForks: config.get<boolean>("keepForks", false),
          onForks: (f) => (forks = f),
          log: (m) => this.services.log.warn(m),
          report: (r, ctx) => {
            const item = this.tree.itemFor(folder, r, ctx);
            if (item) reportResult(run, item, r, ctx);
          },
        },
      );
      const cancelled = abort.signal.aborted;
      if (!cancelled) this.reportCouldNotRun(run, folder, sandbox, include ?? [], runs, options);
      if (!options.forks && !cancelled) this.rememberFailures(folder, sel, runs[0]);
      if (options.forks) this.services.sandboxes.changed();
      return { folder, sandboxId: sandbox.id, command: cmd.command, runs, forks, cancelled, ...(note ? { note } : {}) };
    } catch (err) {
      if (abort.signal.aborted) return { folder, sandboxId: sandbox.id, command: cmd.command, runs: [], forks, cancelled: true };
      for (const item of include ?? (root ? [root] : [])) run.errored(item, new vscode.TestMessage(`Daytona: ${errorText(err)}`));
      throw err;
    } finally {
      cancel?.dispose();
      run.end();
    }
  }

  /**
   * A run that produced no results but errors (the runner is missing, the report was not written)
   * is an errored run, its reason on the items in the Testing view, not a quiet 0/0 "skipped".
   */
  private reportCouldNotRun(run: vscode.TestRun, folder: string, sandbox: SandboxRecord, include: vscode.TestItem[], runs: ExecResult[], options: RunOptions): void {
    const broken = runs.filter((r) => r.results.length === 0 && (r.errors.length > 0 || (r.exitCode ?? 0) !== 0));
    if (!broken.length) return;
    const r = broken[0];
    const why = missingRunnerReason(r.outputTail);
    const reason = [why, ...r.errors].filter(Boolean).join("; ") || `the test command exited with code ${r.exitCode ?? "unknown"} and reported no tests`;
    const message = new vscode.TestMessage(`Daytona: the tests of ${path.basename(folder)} could not run: ${reason}\n\n${r.outputTail.trim().split("\n").slice(-15).join("\n")}`);
    for (const item of include) run.errored(item, message);
    this.services.log.warn(`tests: ${path.basename(folder)} could not run: ${reason}`);
    if (why) void offerRunnerInstall(this.services, folder, sandbox, r.outputTail, () => this.run(folder, { kind: options.kind, file: options.file }).catch((e: unknown) => this.fail(folder, e)));
  }

  private selection(folder: string, o: RunOptions & { refs?: TestRef[] }): Selection {
    if (o.kind === "file" && o.file) {
      const rel = relativeFile(folder, o.file);
      if (!rel) throw new Error(`${o.file} is not inside ${folder}`);
      return { kind: "file", relativeFile: rel };
    }
    if (o.kind === "failed") {
      const tests = o.refs ?? this.failures(folder);
      if (!tests.length) throw new Error(`no failed tests to run again in ${path.basename(folder)}`);
      return { kind: "tests", tests: [...tests] };
    }
    return { kind: "all" };
  }

  /** After a whole run the failures are exactly its failures; after a narrower one, update those. */
  private rememberFailures(folder: string, sel: Selection, r: ExecResult | undefined): void {
    if (!r) return;
    const failed = r.results.filter((x) => x.status === "failed").map((x): TestRef => ({ name: x.name, suite: x.suite, ...(x.file !== undefined ? { file: x.file } : {}) }));
    if (sel.kind === "all") return void this.lastFailures.set(folder, failed);
    const key = (t: TestRef) => [t.file ?? "", ...t.suite, t.name].join("\0");
    const ran = new Set(r.results.map(key));
    const kept = this.failures(folder).filter((t) => !ran.has(key(t)));
    this.lastFailures.set(folder, [...kept, ...failed]);
  }

  private fail(folder: string, err: unknown): void {
    const message = `Failed to run the tests of ${path.basename(folder)} in the sandbox: ${errorText(err)}`;
    this.services.log.error(message);
    void vscode.window.showErrorMessage(message, "Show Output").then((c) => c && this.services.log.show(true));
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}

/** Asks how many forks (default daytona.tests.fanOut). */
export async function askForks(): Promise<number | undefined> {
  const def = vscode.workspace.getConfiguration("daytona.tests").get<number>("fanOut", 3);
  const answer = await vscode.window.showInputBox({
    title: "Run the tests in N forks of the sandbox",
    value: String(def),
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 10 ? undefined : "A number from 1 to 10"),
  });
  return answer ? Number(answer) : undefined;
}

export function registerTesting(services: Services): RemoteTests {
  const tests = new RemoteTests(services);
  services.context.subscriptions.push(tests);
  void tests.projects.refresh();
  return tests;
}
