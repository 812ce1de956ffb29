// Plan problems as VS Code diagnostics on the compose file or Dockerfile they are about, refreshed
// when such a file is saved.
import * as path from "node:path";
import * as vscode from "vscode";
import { planFromPath, type Diagnostic, type PlanResult } from "../core/config";

const CONFIG_NAME = /^(compose|docker-compose)\.ya?ml$|^Dockerfile$|\.Dockerfile$/i;

export class PlanDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("daytona");
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    this.subs.push(
      this.collection,
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (doc.uri.scheme === "file" && CONFIG_NAME.test(path.basename(doc.uri.fsPath))) void this.check(doc.uri.fsPath);
      }),
    );
  }

  /** Plans a file or folder and publishes what it found. */
  async check(target: string): Promise<PlanResult> {
    const result = await planFromPath(target, { env: process.env as Record<string, string> });
    this.publish(target, result.diagnostics);
    return result;
  }

  publish(target: string, diagnostics: Diagnostic[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const d of diagnostics) {
      const line = Math.max(0, d.line - 1);
      const col = Math.max(0, d.column - 1);
      const item = new vscode.Diagnostic(new vscode.Range(line, col, line, col + Math.max(1, d.field.split(".").pop()?.length ?? 1)), `${d.message} (${d.field})`, d.severity === "error" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      item.source = "Daytona";
      byFile.set(d.file, [...(byFile.get(d.file) ?? []), item]);
    }
    // Clear what an earlier check of the same target said about files that are fine now.
    this.collection.forEach((uri) => {
      if (uri.fsPath.startsWith(path.dirname(target)) && !byFile.has(uri.fsPath)) this.collection.delete(uri);
    });
    for (const [file, items] of byFile) this.collection.set(vscode.Uri.file(file), items);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
