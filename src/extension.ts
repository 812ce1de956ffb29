import * as vscode from "vscode";
import { registerCommands } from "./commands/registerCommands";
import type { Services } from "./services";
import { registerViews } from "./views/registerViews";

// activate() only builds the services and calls one register*() per area; slow work is not awaited.
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel("Daytona", { log: true });
  context.subscriptions.push(log);
  const views = registerViews(context);
  const services: Services = { context, log, refreshViews: views.refresh };
  registerCommands(services);
  log.info(`Daytona extension ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
