// Workspace trust, as VS Code's own git extension applies it: nothing derived from an untrusted
// workspace runs (git in its folders, its test commands) until the user trusts it.
import * as vscode from "vscode";

/** True when trusted; otherwise says why `what` waits and offers to manage trust. */
export async function requireTrustedWorkspace(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = "Manage Workspace Trust";
  const pick = await vscode.window.showWarningMessage(`Daytona: ${what} runs commands from this workspace, which is not trusted. Trust the workspace first.`, manage);
  if (pick === manage) await vscode.commands.executeCommand("workbench.trust.manage");
  return false;
}
