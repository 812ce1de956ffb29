import * as vscode from "vscode";
import type { Services } from "../../services";

// Sign-in with an API key arrives with connection profiles; until then say so plainly.
export function signIn(services: Services) {
  return async (): Promise<void> => {
    services.log.info("sign-in requested: connection profiles are not available in this build yet");
    await vscode.window.showInformationMessage("Daytona: signing in with an API key is coming in the next release of this extension.");
  };
}
