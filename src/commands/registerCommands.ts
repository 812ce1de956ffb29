import * as vscode from "vscode";
import type { Services } from "../services";
import type { CommandId } from "./ids";
import { refresh } from "./general/refresh";
import { showLog } from "./general/showLog";
import { signIn } from "./general/signIn";
import { useLocal } from "./general/useLocal";

type Handler = (...args: never[]) => unknown;

/** One row per command; typed by CommandId so a missing or unknown id fails the type check. */
const table: Record<CommandId, (services: Services) => Handler> = {
  "daytona.signIn": signIn,
  "daytona.useLocal": useLocal,
  "daytona.refresh": refresh,
  "daytona.showLog": showLog,
};

export function registerCommands(services: Services): void {
  for (const [id, make] of Object.entries(table) as [CommandId, (s: Services) => Handler][]) {
    const handler = make(services);
    services.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await (handler as (...a: unknown[]) => unknown)(...args);
        } catch (err) {
          reportCommandError(services, id, err);
        }
      }),
    );
  }
}

function reportCommandError(services: Services, id: CommandId, err: unknown): void {
  const reason = err instanceof Error ? err.message : String(err);
  services.log.error(`${id} failed: ${reason}`);
  void vscode.window.showErrorMessage(`Daytona: ${reason}`, "Show Output").then((choice) => {
    if (choice) services.log.show(true);
  });
}
