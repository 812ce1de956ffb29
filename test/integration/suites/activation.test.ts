import * as assert from "node:assert/strict";
import * as vscode from "vscode";

const EXTENSION_ID = "daytona-community.daytona-sandboxes";

describe("activation", () => {
  it("activates and registers every contributed command", async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed in the host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const contributed: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], "contributed commands without a handler");
  });

  it("opens the Daytona view container and runs Refresh and Show Log without error", async () => {
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    await vscode.commands.executeCommand("daytona.refresh");
    await vscode.commands.executeCommand("daytona.showLog");
  });
});
