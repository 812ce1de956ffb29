// Shows a daytona: folder where `daytona.files.openIn` says: a new window, or this window's workspace.
// Both can end this extension host (a new window, or a single-folder window becoming a workspace,
// which VS Code restarts the host for); `beforeLeaving` runs first so the caller can hand work on.
import * as vscode from "vscode";

/** Returns true when this extension host goes on (the folder was added here without a restart). */
export async function showDaytonaFolder(uri: vscode.Uri, name: string, beforeLeaving?: () => Promise<void>): Promise<boolean> {
  if (vscode.workspace.getConfiguration("daytona").get<string>("files.openIn", "workspace") === "newWindow") {
    await beforeLeaving?.();
    await vscode.commands.executeCommand("vscode.openFolder", uri, { forceNewWindow: true });
    return false;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.some((f) => f.uri.toString() === uri.toString())) return true;
  const restarts = folders.length === 1 && !vscode.workspace.workspaceFile;
  if (restarts) await beforeLeaving?.();
  vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri, name });
  return !restarts;
}
