import type * as vscode from "vscode";
import type { ConnectionManager } from "../connection/connectionManager";
import { SandboxesView } from "./sandboxes/sandboxesView";
import { SnapshotsView } from "./snapshots/snapshotsView";
import { VolumesView } from "./volumes/volumesView";

export function registerViews(context: vscode.ExtensionContext, connection: ConnectionManager, log: vscode.LogOutputChannel) {
  const sandboxes = new SandboxesView(connection, log);
  const snapshots = new SnapshotsView(connection, log);
  const volumes = new VolumesView(connection, log);
  context.subscriptions.push(sandboxes, snapshots, volumes);
  return { sandboxes, snapshots, volumes };
}
