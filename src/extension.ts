import * as path from "node:path";
import * as vscode from "vscode";
import { registerCommands } from "./commands/registerCommands";
import { ConnectionManager } from "./connection/connectionManager";
import { LocalServerProcess } from "./connection/localServer";
import { LocalSupervisor } from "./connection/localSupervisor";
import { ProfileStore } from "./connection/profileStore";
import { registerStatusBar } from "./connection/statusBar";
import type { Services } from "./services";
import { registerViews } from "./views/registerViews";
import { ComposeServices } from "./views/sandboxes/composeServices";
import { registerFileSystem } from "./fs/registerFileSystem";
import { registerTerminals } from "./terminal/registerTerminals";
import { PlanDiagnostics } from "./config/planDiagnostics";
import { openPendingTerminal } from "./commands/open/openInSandbox";
import { registerTesting } from "./testing/remoteTests";
import { SshHosts } from "./ssh/sshHosts";

let local: LocalServerProcess | undefined;

// activate() only builds the services and calls one register*() per area; slow work is not awaited.
export function activate(context: vscode.ExtensionContext): Services {
  const log = vscode.window.createOutputChannel("Daytona", { log: true });
  context.subscriptions.push(log);
  local = new LocalServerProcess(context.extensionPath, path.join(context.globalStorageUri.fsPath, "local-server"), log);
  const connection = new ConnectionManager(new ProfileStore(context.globalState, context.secrets), local, log, () =>
    vscode.workspace.getConfiguration("daytona").get<number>("requestTimeoutSeconds", 30) * 1000,
  );
  context.subscriptions.push(connection, local, new LocalSupervisor(connection, local, log));
  const views = registerViews(context, connection, log);
  const files = registerFileSystem(context, connection, log);
  views.sandboxes.attachServices(new ComposeServices(views.sandboxes.store, files.targets, log));
  const planDiagnostics = new PlanDiagnostics();
  context.subscriptions.push(planDiagnostics);
  const ssh = new SshHosts(context.secrets, connection, views.sandboxes.store, log);
  context.subscriptions.push(ssh);
  const services: Services = { context, log, connection, ...views, ...files, planDiagnostics, ssh };
  services.testing = registerTesting(services);
  registerCommands(services);
  registerTerminals(context, connection, files.targets, views.sandboxes.store, log);
  registerStatusBar(context, connection);
  void connection.restore();
  void openPendingTerminal(services);
  log.info(`Daytona extension ${context.extension.packageJSON.version} activated`);
  return services;
}

export async function deactivate(): Promise<void> {
  await local?.stop(); // the local server's sandboxes must not outlive the window
}
