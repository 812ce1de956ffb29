// Use local sandboxes: start the bundled local server and connect to it. No account, no network.
import * as vscode from "vscode";
import { LOCAL_PROFILE } from "../../core/daytona/profiles";
import type { Services } from "../../services";

export function useLocal(services: Services) {
  return async (): Promise<boolean> => {
    const state = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Daytona: starting local sandboxes…" }, () =>
      services.connection.connect(LOCAL_PROFILE),
    );
    if (state.kind === "connected") return true;
    const reason = state.kind === "failed" ? state.error.message : "the connection did not complete";
    void vscode.window.showErrorMessage(`Failed to start local sandboxes: ${reason}`, "Show Output").then((choice) => choice && services.log.show(true));
    return false;
  };
}
