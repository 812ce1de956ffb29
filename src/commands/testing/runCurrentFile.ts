// "Run Current File in Daytona Sandbox" (editor title): only the active test file's tests.
import * as vscode from "vscode";
import type { Services } from "../../services";
import type { RunSummary } from "../../testing/remoteTests";
import { folderOfFile, testing } from "./pickFolder";

export function runCurrentFile(services: Services) {
  return async (uri?: vscode.Uri, _uris?: unknown, options: { token?: vscode.CancellationToken } = {}): Promise<RunSummary | undefined> => {
    const tests = testing(services);
    const file = uri?.scheme === "file" ? uri : vscode.window.activeTextEditor?.document.uri;
    if (file?.scheme !== "file") throw new Error("open a test file of a folder that has a Daytona sandbox");
    const folder = folderOfFile(tests, file.fsPath);
    if (!folder) throw new Error(`${vscode.workspace.asRelativePath(file)} is not in a folder that has a Daytona sandbox`);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
    if (doc?.isDirty) await doc.save();
    return tests.run(folder, { kind: "file", file: file.fsPath, ...options });
  };
}
