// "Daytona: Test Changes on Snapshot…": pick a folder (a git repository) and one or more fixture
// snapshots (the last choice per folder is remembered), then run the working tree's changes on each.
import * as vscode from "vscode";
import { resources } from "../../core/tree/presentation";
import type { Services } from "../../services";
import { FixtureRuns, type FixtureOutcome } from "../../testing/fixtureRuns";
import { reportFailure } from "../errors";
import { requireTrustedWorkspace } from "../../workspaceTrust";


let runs: FixtureRuns | undefined;
const lastKey = (folder: string) => `daytona.fixtures.last:${folder}`;

export function testChangesOnSnapshot(services: Services) {
  // `snapshots` skips the picker (tests, other commands).
  return async (folderArg?: vscode.Uri, snapshots?: string[]): Promise<FixtureOutcome[] | undefined> => {
    // git runs in the folder (a repository's config can make git run anything): trusted folders only.
    if (!(await requireTrustedWorkspace("Test Changes on Snapshot"))) return undefined;
    const folder = folderArg?.scheme === "file" ? folderArg.fsPath : (await pickWorkspaceFolder());
    if (!folder) return undefined;
    let chosen = snapshots;
    if (!chosen) {
      const client = await services.connection.readyClient();
      const last = new Set(services.context.workspaceState.get<string[]>(lastKey(folder), []));
      const items = (await client.listSnapshots())
        .filter((s) => s.state === "active")
        .map((s) => ({ label: s.name, description: resources(s), detail: s.imageName, picked: last.has(s.name) }));
      const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: "Daytona: test the working tree's changes on these snapshots" });
      if (!picked?.length) return undefined;
      chosen = picked.map((p) => p.label);
    }
    await services.context.workspaceState.update(lastKey(folder), chosen);
    if (!runs) {
      runs = new FixtureRuns(services);
      services.context.subscriptions.push(runs, { dispose: () => (runs = undefined) });
    }
    try {
      const outcomes = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Daytona: testing changes on ${chosen.join(", ")}`, cancellable: true },
        (_p, token) => runs!.run(folder, chosen!, token),
      );
      for (const o of outcomes) {
        const failed = o.results.filter((r) => r.status === "failed").length;
        services.log.info(`fixture ${o.snapshot}: ${o.status}${o.status === "ran" ? `, ${o.results.length - failed} passed, ${failed} failed` : ""}${o.kept ? " (sandbox kept)" : ""}`);
      }
      void vscode.commands.executeCommand("workbench.view.testing.focus");
      return outcomes;
    } catch (err) {
      await reportFailure(services, "test the changes on the snapshots", err);
      return undefined;
    }
  };
}

async function pickWorkspaceFolder(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file");
  const own = active ? folders.find((f) => active.fsPath.startsWith(f.uri.fsPath)) : undefined;
  if (own) return own.uri.fsPath;
  if (folders.length === 1) return folders[0].uri.fsPath;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: "Folder (a git repository) whose changes to test" }))?.uri.fsPath;
}
