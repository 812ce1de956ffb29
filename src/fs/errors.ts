import * as vscode from "vscode";
import { TargetError } from "../core/targets/target";

/** Only vscode.FileSystemError leaves the provider: VS Code relies on its codes (e.g. to keep a failed save dirty). */
export function toFileSystemError(err: unknown, uri: vscode.Uri): vscode.FileSystemError {
  if (err instanceof vscode.FileSystemError) return err;
  const message = `${uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}`;
  if (!(err instanceof TargetError)) return vscode.FileSystemError.Unavailable(message);
  switch (err.code) {
    case "notFound":
      return vscode.FileSystemError.FileNotFound(message);
    case "exists":
      return vscode.FileSystemError.FileExists(message);
    case "isDirectory":
      return vscode.FileSystemError.FileIsADirectory(message);
    case "notDirectory":
      return vscode.FileSystemError.FileNotADirectory(message);
    case "noPermissions":
      return vscode.FileSystemError.NoPermissions(message);
    default:
      return vscode.FileSystemError.Unavailable(message);
  }
}
