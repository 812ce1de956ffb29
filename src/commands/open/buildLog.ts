import * as vscode from "vscode";
import type { Services } from "../../services";

let channel: vscode.OutputChannel | undefined;

/** One output channel for image builds, so a build's log stays readable after it ends. */
export function buildLogChannel(services: Services): vscode.OutputChannel {
  if (!channel) {
    channel = vscode.window.createOutputChannel("Daytona Build");
    services.context.subscriptions.push(channel, { dispose: () => (channel = undefined) });
  }
  return channel;
}
