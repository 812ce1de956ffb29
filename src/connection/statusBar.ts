// The status bar item: which profile, and whether it is connected. Clicking it switches profile.
import * as vscode from "vscode";
import type { ConnectionManager, ConnectionState } from "./connectionManager";

function render(item: vscode.StatusBarItem, state: ConnectionState): void {
  item.backgroundColor = undefined;
  switch (state.kind) {
    case "disconnected":
      item.text = "$(debug-disconnect) Daytona";
      item.tooltip = "Daytona: not connected. Click to connect.";
      break;
    case "connecting":
      item.text = `$(sync~spin) Daytona: ${state.profile.label}`;
      item.tooltip = `Connecting to ${state.profile.label}…`;
      break;
    case "connected":
      item.text = `$(${state.profile.kind === "local" ? "vm" : "cloud"}) Daytona: ${state.profile.label}`;
      item.tooltip = `Connected to ${state.profile.label} (${state.apiUrl}). Click to switch profile.`;
      break;
    case "failed":
      item.text = `$(warning) Daytona: ${state.profile.label}`;
      item.tooltip = `Not connected to ${state.profile.label}: ${state.error.message}. Click to switch profile or retry.`;
      item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
      break;
  }
}

export function registerStatusBar(context: vscode.ExtensionContext, connection: ConnectionManager): void {
  const item = vscode.window.createStatusBarItem("daytona.connection", vscode.StatusBarAlignment.Left, 50);
  item.name = "Daytona connection";
  item.command = "daytona.switchProfile";
  render(item, connection.state);
  item.show();
  context.subscriptions.push(item, connection.onDidChange((s) => render(item, s)));
}
