// "Re-run Failed Tests in Daytona Sandbox": the tests that failed in the folder's last run.
import * as vscode from "vscode";
import type { Services } from "../../services";
import type { RunSummary } from "../../testing/remoteTests";
import { pickFolder, testing } from "./pickFolder";

export function rerunFailed(services: Services) {
  return async (uri?: vscode.Uri, _uris?: unknown, options: { token?: vscode.CancellationToken } = {}): Promise<RunSummary | undefined> => {
    const tests = testing(services);
    const folder = await pickFolder(tests, uri);
    if (!folder) return undefined;
    if (tests.failures(folder).length === 0) {
      void vscode.window.showInformationMessage("Daytona: no failed tests to run again (run the tests first).");
      return undefined;
    }
    return tests.run(folder, { kind: "failed", ...options });
  };
}
