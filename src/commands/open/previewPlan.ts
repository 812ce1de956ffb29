// "Daytona: Preview Sandbox Plan": what Open in Daytona Sandbox would create from the current file
// (or a folder), as JSON in a read-only virtual document (daytona-plan:), computed again each time it
// is shown; problems also go to the Problems panel.
import * as path from "node:path";
import * as vscode from "vscode";
import { formatDiagnostic } from "../../core/config";
import type { Services } from "../../services";

export const PLAN_SCHEME = "daytona-plan";

class PlanDocuments implements vscode.TextDocumentContentProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly services: Services) {}

  /** daytona-plan:/<target path>/<name> plan.json: the target is the path's folder part. */
  static uriFor(target: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `${target}/${path.basename(target)} plan.json` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = path.dirname(uri.path);
    const result = await this.services.planDiagnostics.check(target);
    const body = { target, ok: result.plan !== undefined, problems: result.diagnostics.map(formatDiagnostic), plan: result.plan };
    return JSON.stringify(body, null, 2);
  }

  refresh(uri: vscode.Uri): void {
    this.emitter.fire(uri);
  }
}

let documents: PlanDocuments | undefined;

export function previewPlan(services: Services) {
  return async (uri?: unknown): Promise<vscode.TextDocument | undefined> => {
    const given = uri instanceof vscode.Uri ? uri : undefined;
    const target = given ?? vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!target || target.scheme !== "file") {
      void vscode.window.showInformationMessage("Daytona: open a compose file, a Dockerfile or a folder to preview its sandbox plan.");
      return undefined;
    }
    if (!documents) {
      const docs = new PlanDocuments(services);
      documents = docs;
      services.context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, docs), { dispose: () => (documents = undefined) });
    }
    const planUri = PlanDocuments.uriFor(target.fsPath);
    // Already open: show the plan as the files are now.
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === planUri.toString())) documents.refresh(planUri);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(planUri), "json");
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return doc;
  };
}
