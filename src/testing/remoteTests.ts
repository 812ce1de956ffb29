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
import { narrow, testCommandFor, type Selection } from "./testCommand";
import { TestTree, reportResult } from "./testTree";

export interface RunOptions {
  /** "file": only this local file; "failed": the tests that failed last time; default all. */
  kind?: "all" | "file" | "failed";
  file?: string;
  /** Fan-out to this many forks. */
  forks?: number;
  token?: vscode.CancellationToken;
  /** Items the run is about (for the Test Explorer's request); default the folder's root. */
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
  private readonly profiles = new Map<string, vscode.TestRunProfile[]>();
  private readonly lastFailures = new Map<string, TestRef[]>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly services: Services) {
    this.projects = new ProjectSandboxes(services);
    this.tree = new TestTree(this.controller);
    this.subs.push(this.controller, this.projects, this.projects.onDidChange(() => this.sync()));
    this.controller.refreshHandler = () => this.projects.refresh();
  }

  /** Folders with a sandbox (from the cache). */
  folders(): string[] {
    return this.projects.withSandbox().map((p) => p.folder);
  }

  failures(folder: string): readonly TestRef[] {
    return this.lastFailures.get(folder) ?? [];
  }

  /** Roots and profiles follow the folders that have a sandbox. */
  private sync(): void {
    const with_ = this.projects.withSandbox();
    const multi = with_.length > 1;
    const wanted = new Map(with_.map((p) => [p.folder, p.sandbox]));
    for (const [folder, list] of this.profiles) {
      if (!wanted.has(folder)) {
        for (const p of list) p.dispose();
        this.profiles.delete(folder);
      }
    }
    const roots: { folder: string; label: string; tag: vscode.TestTag }[] = [];
    for (const folder of wanted.keys()) {
      const tag = new vscode.TestTag(`daytona:${folder}`);
      roots.push({ folder, label: path.basename(folder), tag });
      if (this.profiles.has(folder)) continue;
      const suffix = multi ? ` (${path.basename(folder)})` : "";
      const single = this.controller.createRunProfile(`Run in Daytona sandbox${suffix}`, vscode.TestRunProfileKind.Run, (req, token) => this.handle(folder, req, token), true, tag);
      const fan = this.controller.createRunProfile(`Run in N forks of the sandbox${suffix}`, vscode.TestRunProfileKind.Run, (req, token) => this.handle(folder, req, token, true), false, tag);
      this.profiles.set(folder, [single, fan]);
    }
    this.tree.setRoots(roots);
    void vscode.commands.executeCommand("setContext", "daytona.tests.active", roots.length > 0);
  }

  /** A run started from the Test Explorer: only this folder's items. */
  private async handle(folder: string, req: vscode.TestRunRequest, token: vscode.CancellationToken, fanOut = false): Promise<void> {
    const include = req.include?.filter((i) => this.tree.folderOf.get(i) === folder);
    if (req.include && !include?.length) return;
    let forks: number | undefined;
    if (fanOut) {
      forks = await askForks();
      if (!forks) return;
    }
    const sel = this.selectionOf(folder, include);
    await this.run(folder, { ...sel, forks, token, include }).catch((err: unknown) => this.fail(folder, err));
  }

  private selectionOf(folder: string, include: vscode.TestItem[] | undefined): Pick<RunOptions, "kind" | "file"> & { refs?: TestRef[] } {
    if (!include?.length || include.some((i) => i === this.tree.root(folder))) return { kind: "all" };
    const refs = include.map((i) => this.tree.refs.get(i));
    if (refs.every((r): r is TestRef => r !== undefined)) return { kind: "failed", refs };
    const files = new Set(include.map((i) => this.tree.fileOf.get(i) ?? i.uri?.fsPath));
    const [file] = files;
    return files.size === 1 && file ? { kind: "file", file } : { kind: "all" };
  }

  /** Runs a folder's tests in its sandbox (or N forks of it) into a new TestRun. */
  async run(folder: string, options: RunOptions & { refs?: TestRef[] } = {}): Promise<RunSummary> {
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
    const request = new vscode.TestRunRequest(options.include ?? (root ? [root] : undefined));
    const run = this.controller.createTestRun(request, `Daytona: ${path.basename(folder)}`, true);
    const abort = new AbortController();
    const cancel = options.token?.onCancellationRequested(() => abort.abort());
    if (root) run.started(root);
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
      if (!options.forks && !cancelled) this.rememberFailures(folder, sel, runs[0]);
      if (options.forks) this.services.sandboxes.changed();
      return { folder, sandboxId: sandbox.id, command: cmd.command, runs, forks, cancelled, ...(note ? { note } : {}) };
    } catch (err) {
      if (abort.signal.aborted) return { folder, sandboxId: sandbox.id, command: cmd.command, runs: [], forks, cancelled: true };
      if (root) run.errored(root, new vscode.TestMessage(`Daytona: ${errorText(err)}`));
      throw err;
    } finally {
      cancel?.dispose();
      run.end();
    }
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
    for (const list of this.profiles.values()) for (const p of list) p.dispose();
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
