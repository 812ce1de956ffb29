// Which folder a test command is about: the given one, the active file's, or a pick among the
// folders that have a sandbox.
import * as path from "node:path";
import * as vscode from "vscode";
import type { RemoteTests } from "../../testing/remoteTests";
import type { Services } from "../../services";

export function testing(services: Services): RemoteTests {
  if (!services.testing) throw new Error("remote tests are not available");
  return services.testing;
}

/** The folder with a sandbox that contains the file, the deepest one first. */
export function folderOfFile(tests: RemoteTests, file: string): string | undefined {
  return tests
    .folders()
    .filter((f) => file === f || file.startsWith(f.endsWith(path.sep) ? f : f + path.sep))
    .sort((a, b) => b.length - a.length)[0];
}

export async function pickFolder(tests: RemoteTests, uri?: vscode.Uri): Promise<string | undefined> {
  if (uri?.scheme === "file") return folderOfFile(tests, uri.fsPath) ?? uri.fsPath;
  const active = vscode.window.activeTextEditor?.document.uri;
  const fromActive = active?.scheme === "file" ? folderOfFile(tests, active.fsPath) : undefined;
  const folders = tests.folders();
  if (fromActive) return fromActive;
  if (folders.length === 1) return folders[0];
  if (folders.length === 0) {
    const ws = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file");
    if (ws.length === 1) return ws[0].uri.fsPath;
    return (await vscode.window.showWorkspaceFolderPick({ placeHolder: "Folder whose tests to run in a Daytona sandbox" }))?.uri.fsPath;
  }
  const pick = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: path.basename(f), description: f, folder: f })),
    { placeHolder: "Folder whose tests to run in its Daytona sandbox" },
  );
  return pick?.folder;
}
