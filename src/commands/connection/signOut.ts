import * as vscode from "vscode";
import type { Services } from "../../services";

export function signOut(services: Services) {
  return async (): Promise<void> => {
    // SSH accesses of the profile are revoked (while the key still works) and their hosts removed.
    const st = services.connection.state;
    if (st.kind !== "disconnected") {
      await services.ssh.forgetProfile(st.profile.id, st.kind === "connected" ? st.client : undefined).catch((err: unknown) => services.log.warn(`SSH hosts: ${String(err)}`));
    }
    const profile = await services.connection.signOut();
    if (profile) void vscode.window.showInformationMessage(`Daytona: signed out of ${profile.label}; its stored key was deleted.`);
  };
}
