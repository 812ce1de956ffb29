// How a failed operation is told: "Failed to <verb> <what>: <reason>", the cause in the log, and an
// action that helps (sign in again for a 401, Show Output always). Cancellation is silent.
import * as vscode from "vscode";
import { toDaytonaError } from "../core/daytona/errors";
import type { Services } from "../services";

export async function reportFailure(services: Services, what: string, err: unknown): Promise<void> {
  const e = toDaytonaError(err);
  if (e.kind === "cancelled") return;
  const message = `Failed to ${what}: ${e.message}`;
  services.log.error(message);
  const actions = e.kind === "unauthorized" ? ["Sign In Again", "Show Output"] : ["Show Output"];
  // Not awaited: the command that failed is done; the notification waits for the person, not the command.
  void vscode.window.showErrorMessage(message, ...actions).then((choice) => {
    if (choice === "Show Output") services.log.show(true);
    if (choice === "Sign In Again") void vscode.commands.executeCommand("daytona.signIn");
  });
}
