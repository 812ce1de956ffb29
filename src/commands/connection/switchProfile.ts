import * as vscode from "vscode";
import type { Services } from "../../services";

export function switchProfile(services: Services) {
  return async (): Promise<void> => {
    const state = services.connection.state;
    const activeId = state.kind === "disconnected" ? undefined : state.profile.id;
    type Item = vscode.QuickPickItem & { run: () => Thenable<unknown> };
    const items: Item[] = services.connection.profiles.list().map((p) => ({
      label: `$(${p.kind === "local" ? "vm" : p.kind === "cloud" ? "cloud" : "server"}) ${p.label}`,
      description: p.id === activeId ? `${state.kind}` : p.apiUrl,
      run: () => services.connection.connect(p),
    }));
    items.push({ label: "$(key) Sign in to another Daytona…", run: () => vscode.commands.executeCommand("daytona.signIn") });
    if (state.kind === "failed") items.unshift({ label: "$(refresh) Retry", description: state.profile.label, run: () => services.connection.reconnect() });
    if (activeId) items.push({ label: "$(sign-out) Sign out", description: "and delete the stored key", run: () => vscode.commands.executeCommand("daytona.signOut") });
    const pick = await vscode.window.showQuickPick(items, { title: "Daytona: connection" });
    await pick?.run();
  };
}
