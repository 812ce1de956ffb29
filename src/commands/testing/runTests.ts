// "Run Tests in Daytona Sandbox": a folder's tests in its sandbox, shown in the Test Explorer. A folder
// without a sandbox is opened in one first (quietly: no terminal, no workspace folder).
import * as path from "node:path";
import * as vscode from "vscode";
import type { Services } from "../../services";
import type { RunSummary } from "../../testing/remoteTests";
import { pickFolder, testing } from "./pickFolder";

export function runTests(services: Services) {
  return async (uri?: vscode.Uri, _uris?: unknown, options: { forks?: number; token?: vscode.CancellationToken } = {}): Promise<RunSummary | undefined> => {
    const tests = testing(services);
    const folder = await pickFolder(tests, uri);
    if (!folder) return undefined;
    if (!(await tests.projects.lookup(folder))) {
      services.log.info(`tests: ${folder} has no sandbox yet; opening it in one`);
      const opened = await vscode.commands.executeCommand("daytona.openInSandbox", vscode.Uri.file(folder), undefined, { quiet: true });
      if (!opened) return undefined;
      await tests.projects.lookup(folder);
    }
    void vscode.commands.executeCommand("workbench.view.testing.focus");
    services.log.info(`tests: running the tests of ${path.basename(folder)} in its sandbox`);
    return tests.run(folder, { kind: "all", ...options });
  };
}
