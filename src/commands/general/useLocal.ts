import * as vscode from "vscode";
import type { Services } from "../../services";

// The local profile arrives with connection profiles; until then say so plainly.
export function useLocal(services: Services) {
  return async (): Promise<void> => {
    services.log.info("local mode requested: connection profiles are not available in this build yet");
    await vscode.window.showInformationMessage("Daytona: local sandboxes (no account) are coming in the next release of this extension.");
  };
}
