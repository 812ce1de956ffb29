// The "Daytona sandbox" terminal profile in the terminal dropdown: asks which running sandbox.
import * as vscode from "vscode";
import type { TargetRegistry } from "../fs/targetRegistry";
import type { SandboxStore } from "../core/daytona/sandboxStore";
import type { ConnectionManager } from "../connection/connectionManager";
import { remoteTerminalOptions } from "./openRemoteTerminal";
import { terminalOptions } from "./terminalOptions";

export function registerTerminals(context: vscode.ExtensionContext, connection: ConnectionManager, targets: TargetRegistry, store: SandboxStore, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.window.registerTerminalProfileProvider("daytona.sandboxTerminal", {
      async provideTerminalProfile(token) {
        const running = store.all().filter((r) => r.state === "started");
        if (running.length === 0) {
          void vscode.window.showInformationMessage("Daytona: no running sandbox. Connect and start one in the Daytona view first.");
          return undefined;
        }
        const pick = running.length === 1 ? { record: running[0] } : await vscode.window.showQuickPick(running.map((r) => ({ label: r.name, description: r.id, record: r })), { title: "Daytona: terminal in sandbox" }, token);
        if (!pick) return undefined;
        const target = await targets.get(pick.record.id);
        return new vscode.TerminalProfile(remoteTerminalOptions(target, terminalOptions({ connection, targets }, pick.record.id, { log })));
      },
    }),
  );
}
