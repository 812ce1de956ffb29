import * as vscode from "vscode";
import type { Services } from "../../services";

export function signOut(services: Services) {
  return async (): Promise<void> => {
    const profile = await services.connection.signOut();
    if (profile) void vscode.window.showInformationMessage(`Daytona: signed out of ${profile.label}; its stored key was deleted.`);
  };
}
