import * as vscode from "vscode";
import type { ConnectionManager } from "../connection/connectionManager";
import { DaytonaFileSystem } from "./daytonaFileSystem";
import { SCHEME, TargetRegistry } from "./targetRegistry";

export function registerFileSystem(context: vscode.ExtensionContext, connection: ConnectionManager, log: vscode.LogOutputChannel) {
  const targets = new TargetRegistry(connection);
  const fileSystem = new DaytonaFileSystem(targets, log);
  context.subscriptions.push(
    targets,
    fileSystem,
    connection.onDidChange(() => fileSystem.cache.clear()),
    vscode.workspace.registerFileSystemProvider(SCHEME, fileSystem, { isCaseSensitive: true }),
  );
  return { targets, fileSystem };
}
