import * as vscode from "vscode";
import type { Target } from "../core/targets/target";
import { RemotePseudoterminal, type RemoteTerminalOptions } from "./remotePseudoterminal";

export function remoteTerminalOptions(target: Target, options: RemoteTerminalOptions): vscode.ExtensionTerminalOptions & { pty: RemotePseudoterminal } {
  const pty = new RemotePseudoterminal(target, options);
  return { name: `Daytona: ${target.label}`, pty, iconPath: new vscode.ThemeIcon("vm") };
}

/** Opens a terminal in a target and shows it. */
export function openRemoteTerminal(target: Target, options: RemoteTerminalOptions): { terminal: vscode.Terminal; pty: RemotePseudoterminal } {
  const opts = remoteTerminalOptions(target, options);
  const terminal = vscode.window.createTerminal(opts);
  terminal.show();
  return { terminal, pty: opts.pty };
}
