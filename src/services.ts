import type * as vscode from "vscode";

/** What activate() builds once and hands to every area; passed explicitly, never a global. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** Re-fetch what the Daytona views show. */
  refreshViews(): void;
}
