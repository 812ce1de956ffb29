// Which Daytona the extension talks to, and whether it can. One DaytonaClient at a time; every
// change is announced so the views, the status bar and the context keys follow.
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import { DaytonaClient } from "../core/daytona/client";
import { DaytonaRequestError, toDaytonaError } from "../core/daytona/errors";
import { LOCAL_PROFILE, type Profile } from "../core/daytona/profiles";
import type { LocalServerProcess } from "./localServer";
import type { ProfileStore } from "./profileStore";

export type ConnectionState =
  | { kind: "disconnected" }
  | { kind: "connecting"; profile: Profile }
  | { kind: "connected"; profile: Profile; client: DaytonaClient; apiUrl: string; token: string }
  | { kind: "failed"; profile: Profile; error: DaytonaRequestError };

export class ConnectionManager implements vscode.Disposable {
  private current: ConnectionState = { kind: "disconnected" };
  private readonly changed = new vscode.EventEmitter<ConnectionState>();
  readonly onDidChange = this.changed.event;
  /** Bumped on every connect/disconnect, so a slow connect that lost the race does not win. */
  private generation = 0;
  private restoring: Promise<void> = Promise.resolve();

  constructor(
    readonly profiles: ProfileStore,
    private readonly local: LocalServerProcess,
    private readonly log: vscode.LogOutputChannel,
    private readonly requestTimeoutMs: () => number,
  ) {}

  /** The local server's process (for supervision and tests). */
  get localServer(): LocalServerProcess {
    return this.local;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The client once any connect in progress has finished (for commands a person may run at start-up). */
  async readyClient(): Promise<DaytonaClient> {
    await this.settled();
    return this.client();
  }

  /** The client, or an error that says how to connect. */
  client(): DaytonaClient {
    if (this.current.kind === "connected") return this.current.client;
    throw new Error("Not connected to Daytona. Sign in or use local sandboxes from the Daytona view.");
  }

  private set(state: ConnectionState): void {
    this.current = state;
    void vscode.commands.executeCommand("setContext", "daytona.connected", state.kind === "connected");
    void vscode.commands.executeCommand("setContext", "daytona.connectionState", state.kind);
    this.changed.fire(state);
  }

  /** Reconnects to the profile used last, if any (called at activation, not awaited). */
  restore(): Promise<void> {
    this.restoring = (async () => {
      const id = this.profiles.activeId();
      const profile = id ? this.profiles.get(id) : undefined;
      if (profile) await this.connect(profile);
      else this.set({ kind: "disconnected" });
    })();
    return this.restoring;
  }

  /**
   * Resolves once the connection is no longer on its way: after the start-up restore and any
   * connect in progress. The file system waits on it, so a daytona: folder that VS Code opens while
   * the extension is still starting does not fail.
   */
  async settled(timeoutMs = 30_000): Promise<ConnectionState> {
    await this.restoring;
    if (this.current.kind === "connecting") {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          sub.dispose();
          resolve();
        }, timeoutMs);
        const sub = this.onDidChange((st) => {
          if (st.kind !== "connecting") {
            clearTimeout(timer);
            sub.dispose();
            resolve();
          }
        });
      });
    }
    return this.current;
  }

  async connect(profile: Profile): Promise<ConnectionState> {
    const gen = ++this.generation;
    await this.closeClient();
    this.set({ kind: "connecting", profile });
    try {
      const { apiUrl, token } = await this.endpoint(profile);
      const client = new DaytonaClient({
        apiUrl,
        apiKey: token,
        target: profile.target,
        organizationId: profile.organizationId,
        requestTimeoutMs: this.requestTimeoutMs(),
      });
      await client.ping();
      if (gen !== this.generation) {
        await client.dispose();
        return this.current;
      }
      await this.profiles.setActive(profile.id);
      this.log.info(`connected to ${profile.label} (${apiUrl})`);
      this.set({ kind: "connected", profile, client, apiUrl, token });
    } catch (err) {
      const error = toDaytonaError(err);
      if (gen === this.generation) {
        this.log.error(`could not connect to ${profile.label}: ${error.message}`);
        this.set({ kind: "failed", profile, error });
      }
    }
    return this.current;
  }

  private async endpoint(profile: Profile): Promise<{ apiUrl: string; token: string }> {
    if (profile.kind === "local") {
      let token = await this.profiles.apiKey(LOCAL_PROFILE.id);
      if (!token) {
        token = randomBytes(24).toString("hex");
        await this.profiles.storeApiKey(LOCAL_PROFILE.id, token);
      }
      return this.local.start(token);
    }
    const token = await this.profiles.apiKey(profile.id);
    if (!token || !profile.apiUrl) throw new DaytonaRequestError("unauthorized", `No API key is stored for ${profile.label}. Sign in again.`);
    return { apiUrl: profile.apiUrl, token };
  }

  /**
   * The server behind the connection went away (the local server exited): drop the client at once
   * (its event stream would otherwise retry a dead address every second) and show the connection
   * as failed with the reason, until a reconnect succeeds.
   */
  async lost(profile: Profile, reason: string): Promise<void> {
    if (this.current.kind === "disconnected" || this.current.profile.id !== profile.id) return;
    this.generation++;
    await this.closeClient();
    this.log.warn(`lost the connection to ${profile.label}: ${reason}`);
    this.set({ kind: "failed", profile, error: new DaytonaRequestError("unreachable", reason) });
  }

  /** Retry the profile of a failed or lost connection. */
  async reconnect(): Promise<void> {
    const profile = this.current.kind === "disconnected" ? undefined : this.current.profile;
    if (profile) await this.connect(profile);
  }

  async disconnect(): Promise<void> {
    this.generation++;
    await this.closeClient();
    this.set({ kind: "disconnected" });
  }

  /** Sign out: forget the active profile and delete its stored key. */
  async signOut(): Promise<Profile | undefined> {
    const profile = this.current.kind === "disconnected" ? undefined : this.current.profile;
    await this.disconnect();
    if (profile) {
      await this.profiles.remove(profile.id);
      if (profile.kind === "local") await this.local.stop();
      this.log.info(`signed out of ${profile.label}; its stored key was deleted`);
    }
    return profile;
  }

  private async closeClient(): Promise<void> {
    if (this.current.kind === "connected") {
      const { client } = this.current;
      await client.dispose().catch(() => undefined);
    }
  }

  dispose(): void {
    void this.closeClient();
    this.changed.dispose();
  }
}
