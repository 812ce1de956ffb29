// "Daytona: Preview Sandbox Plan": what Open in Daytona Sandbox would create from the current file
// (or a folder), as JSON in an editor; problems also go to the Problems panel.
import * as vscode from "vscode";
import { formatDiagnostic } from "../../core/config";
import type { Services } from "../../services";

export function previewPlan(services: Services) {
  return async (uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!target || target.scheme !== "file") {
      void vscode.window.showInformationMessage("Daytona: open a compose file, a Dockerfile or a folder to preview its sandbox plan.");
      return undefined;
    }
    const result = await services.planDiagnostics.check(target.fsPath);
    const body = {
      target: target.fsPath,
      ok: result.plan !== undefined,
      problems: result.diagnostics.map(formatDiagnostic),
      plan: result.plan,
    };
    const doc = await vscode.workspace.openTextDocument({ language: "json", content: JSON.stringify(body, null, 2) });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return doc;
  };
}
