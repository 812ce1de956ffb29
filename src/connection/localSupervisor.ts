// Supervision of the local server, as a process manager would: an exit is noticed at once (the
// child's exit event), the connection shows it (status bar, views), the server is started again with
// backoff, and the person is told once per outage, not once per failed request.
import * as vscode from "vscode";
import type { Profile } from "../core/daytona/profiles";
import type { ConnectionManager } from "./connectionManager";
import type { LocalServerExit, LocalServerProcess } from "./localServer";

/** Delays before each restart attempt; the last one repeats until `maxAttempts`. */
export const RESTART_DELAYS_MS = [300, 1000, 2000, 5000, 10_000, 30_000];
const MAX_ATTEMPTS = 10;
export const DOWN_CONTEXT = "daytona.localServerDown";

export class LocalSupervisor implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  /** The outage being handled (one restart loop at a time). */
  private outage?: Promise<void>;
  private disposed = false;
  /** Restarts done since activation (for tests and the log). */
  restarts = 0;

  constructor(
    private readonly connection: ConnectionManager,
    local: LocalServerProcess,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subs.push(local.onDidExit((exit) => this.exited(exit)));
  }

  private exited(exit: LocalServerExit): void {
    const state = this.connection.state;
    if (this.disposed || state.kind === "disconnected" || state.profile.kind !== "local" || this.outage) return;
    const profile = state.profile;
    const last = exit.lastLines.filter((l) => !/stopping$/.test(l)).slice(-1)[0];
    const reason = `the local server stopped (${exit.how})${last ? `: ${last.slice(0, 200)}` : ""}`;
    void vscode.commands.executeCommand("setContext", DOWN_CONTEXT, true);
    this.outage = this.restart(profile, reason).finally(() => {
      this.outage = undefined;
      void vscode.commands.executeCommand("setContext", DOWN_CONTEXT, false);
    });
  }

  private async restart(profile: Profile, reason: string): Promise<void> {
    await this.connection.lost(profile, `${reason}; restarting it`);
    // Told once per outage; the status bar and the views carry the rest.
    void vscode.window.showWarningMessage(`Daytona: ${reason}. Restarting it…`, "Show Log").then((c) => c && this.log.show(true));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await new Promise((r) => setTimeout(r, RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]));
      const now = this.connection.state;
      // The person moved on (signed out, switched profile) or already reconnected (Retry).
      if (this.disposed || now.kind === "disconnected" || now.profile.id !== profile.id) return;
      if (now.kind === "connected") return;
      const after = await this.connection.connect(profile);
      if (after.kind === "connected") {
        this.restarts++;
        this.log.info(`local server restarted (attempt ${attempt + 1})`);
        vscode.window.setStatusBarMessage("$(check) Daytona: local server running again", 5000);
        return;
      }
    }
    this.log.error(`local server: gave up restarting after ${MAX_ATTEMPTS} attempts`);
    void vscode.window.showErrorMessage("Daytona: the local server could not be restarted. The log says why.", "Retry", "Show Log").then((c) => {
      if (c === "Retry") void vscode.commands.executeCommand("daytona.reconnect");
      if (c === "Show Log") this.log.show(true);
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.subs) s.dispose();
  }
}
