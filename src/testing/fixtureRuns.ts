// "Test Changes on Snapshot…": the working tree's changes applied on a fresh sandbox from each chosen
// fixture snapshot, the tests run there, results side by side in the Test Explorer (one subtree per
// snapshot, one TestRun named after each), the sandbox deleted afterwards (kept on failure when
// daytona.fixtures.keepOnFailure is set). A patch that does not apply is reported with its rejected
// hunks, not as a test failure.
import * as path from "node:path";
import * as vscode from "vscode";
import { prepareFixture, type PreparedFixture } from "../core/fixture/prepareFixture";
import { workingTreeDiff } from "../core/fixture/workingTreeDiff";
import type { TestResult } from "../core/testing";
import type { Services } from "../services";
import { errorText, execute, type ExecResult } from "./runProject";
import { testCommandFor } from "./testCommand";
import { TestTree, reportResult } from "./testTree";

export interface FixtureOutcome {
  snapshot: string;
  sandboxId: string;
  /** "rejected": the patch did not apply; "ran": the tests ran (see results). */
  status: "ran" | "rejected" | "error";
  results: TestResult[];
  rejects: Array<{ file: string; hunks: string }>;
  message?: string;
  kept: boolean;
}

export class FixtureRuns implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController("daytona.fixtures", "Daytona Fixture Runs");
  private readonly tree = new TestTree(this.controller);

  constructor(private readonly services: Services) {}

  /** Runs the folder's tests on each snapshot at once. */
  async run(folder: string, snapshots: string[], token?: vscode.CancellationToken): Promise<FixtureOutcome[]> {
    const client = await this.services.connection.readyClient();
    const diff = await workingTreeDiff(folder, { trusted: vscode.workspace.isTrusted });
    const cmd = await testCommandFor(folder);
    const config = vscode.workspace.getConfiguration("daytona.fixtures", vscode.Uri.file(folder));
    const keepOnFailure = config.get<boolean>("keepOnFailure", false);
    const projectPath = config.get<string>("projectPath", "") || undefined;
    this.tree.setRoots([{ folder, label: `${path.basename(folder)} (changes on fixtures)` }]);
    const root = this.tree.root(folder)!;
    const abort = new AbortController();
    token?.onCancellationRequested(() => abort.abort());
    return Promise.all(
      snapshots.map(async (snapshot): Promise<FixtureOutcome> => {
        const prefix = [{ key: `fixture:${snapshot}`, label: `on ${snapshot}` }];
        root.children.delete(`${root.id}/fixture:${snapshot}`);
        const run = this.controller.createTestRun(new vscode.TestRunRequest([root]), `Daytona fixture: ${snapshot}`, true);
        const say = (line: string) => run.appendOutput(`${line.replace(/\r?\n/g, "\r\n")}\r\n`);
        let prepared: PreparedFixture | undefined;
        let outcome: FixtureOutcome;
        try {
          say(`Testing the changes in ${path.basename(folder)} (${diff.files.length} file(s) against ${diff.base.slice(0, 12)}) on ${snapshot}`);
          prepared = await prepareFixture(client, { snapshot, localFolder: folder, projectPath, diff, log: say, signal: abort.signal });
          if (prepared.apply.kind === "rejected") {
            const text = [`The changes do not apply on ${snapshot}:`, prepared.apply.output, ...prepared.apply.rejects.map((r) => `--- rejected in ${r.file}\n${r.hunks}`)].join("\n");
            say(text);
            run.errored(root, new vscode.TestMessage(text));
            outcome = { snapshot, sandboxId: prepared.sandbox.id, status: "rejected", results: [], rejects: prepared.apply.rejects, kept: false };
          } else {
            if (prepared.apply.checkedOutBase) say(`Checked out ${diff.base.slice(0, 12)} in the fixture`);
            say(`$ ${cmd.command}`);
            const ctx = { remoteDir: prepared.projectDir, localFolder: folder, prefix };
            const r: ExecResult = await execute(prepared.sdk, cmd, ctx, {
              run,
              signal: abort.signal,
              log: (m) => this.services.log.warn(m),
              report: (res, c) => {
                const item = this.tree.itemFor(folder, res, c);
                if (item) reportResult(run, item, res, c);
              },
            });
            outcome = { snapshot, sandboxId: prepared.sandbox.id, status: "ran", results: r.results, rejects: [], kept: false };
          }
        } catch (err) {
          say(`Failed: ${errorText(err)}`);
          run.errored(root, new vscode.TestMessage(`Daytona fixture ${snapshot}: ${errorText(err)}`));
          outcome = { snapshot, sandboxId: prepared?.sandbox.id ?? "", status: "error", results: [], rejects: [], message: errorText(err), kept: false };
        } finally {
          run.end();
        }
        const failed = outcome.status !== "ran" || outcome.results.some((x) => x.status === "failed");
        if (prepared && failed && keepOnFailure) {
          outcome.kept = true;
          say(`Kept sandbox ${prepared.sandbox.name} for a look (daytona.fixtures.keepOnFailure).`);
          this.services.sandboxes.changed();
        } else if (prepared) {
          await client.delete(prepared.sandbox.id).catch((err: unknown) => this.services.log.warn(`could not delete fixture sandbox ${prepared!.sandbox.id}: ${errorText(err)}`));
        }
        return outcome;
      }),
    );
  }

  dispose(): void {
    this.controller.dispose();
  }
}
