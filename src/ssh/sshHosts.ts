// The SSH hosts of sandboxes: an SSH access per (profile, sandbox) with the token in SecretStorage,
// a host entry in the extension's own ~/.ssh/daytona_config, and the Include in ~/.ssh/config
// (asked for once). Accesses are revoked and entries removed on delete and sign-out, and entries of
// sandboxes that vanished from the list are removed. OpenSSH sends the token as the user name, so
// the entry carries it too: that file is 0600 in ~/.ssh, beside the user's own keys, and goes
// when the sandbox or the profile does.
import * as os from "node:os";
import * as vscode from "vscode";
import type { DaytonaClient } from "../core/daytona/client";
import type { SandboxRecord } from "../core/daytona/records";
import type { SandboxStore } from "../core/daytona/sandboxStore";
import { hostAlias } from "../core/ssh/hostAlias";
import { addUserInclude, dropEntries, readEntries, saveEntry, sshPaths, userConfigIncludes, type SshPaths } from "../core/ssh/sshConfigFiles";
import type { HostEntry } from "../core/ssh/ownedConfig";
import { isLoopback, parseSshCommand } from "../core/ssh/sshTarget";
import type { ConnectionManager } from "../connection/connectionManager";

export interface SshHost {
  alias: string;
  /** Daytona's own command (the token inside): works without the Include. */
  directCommand: string;
  expiresAt: string;
}

interface StoredAccess {
  token: string;
  expiresAt: string;
}

/** An access is renewed when less than this is left (a remote window would drop soon after). */
const RENEW_MARGIN_MS = 10 * 60_000;

export class SshHosts implements vscode.Disposable {
  readonly paths: SshPaths;
  private readonly subscription: { dispose(): void };
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly connection: ConnectionManager,
    private readonly store: SandboxStore,
    private readonly log: vscode.LogOutputChannel,
    home = os.homedir(),
  ) {
    this.paths = sshPaths(home);
    this.subscription = store.onDidChange(() => this.schedulePrune());
  }

  dispose(): void {
    this.subscription.dispose();
    clearTimeout(this.pruneTimer);
  }

  private secretKey(profileId: string, sandboxId: string): string {
    return `daytona.sshAccess.${profileId}.${sandboxId}`;
  }

  private connected(): { profileId: string; client: DaytonaClient } {
    const st = this.connection.state;
    if (st.kind !== "connected") throw new Error("Not connected to Daytona. Sign in or use local sandboxes from the Daytona view.");
    return { profileId: st.profile.id, client: st.client };
  }

  /** The sandbox's host entry, with an access that is valid for a while yet (made or renewed here). */
  async ensureHost(record: SandboxRecord): Promise<SshHost> {
    const { profileId, client } = this.connected();
    const alias = hostAlias(profileId, record);
    const key = this.secretKey(profileId, record.id);
    const stored = parseStored(await this.secrets.get(key));
    const entry = (await readEntries(this.paths)).find((e) => e.alias === alias && e.sandboxId === record.id);
    if (stored && entry && entry.user === stored.token && Date.parse(stored.expiresAt) - Date.now() > RENEW_MARGIN_MS) {
      return { alias, directCommand: directCommand(entry), expiresAt: stored.expiresAt };
    }
    const minutes = vscode.workspace.getConfiguration("daytona").get<number>("ssh.accessExpiryMinutes", 480);
    const access = await client.createSshAccess(record.id, Math.max(1, Math.round(minutes)));
    const target = parseSshCommand(access.sshCommand, access.token);
    const fresh: HostEntry = {
      alias,
      profileId,
      sandboxId: record.id,
      expiresAt: access.expiresAt,
      hostName: target.host,
      port: target.port,
      user: target.user,
      knownHostsFile: isLoopback(target.host) ? this.paths.knownHosts : undefined,
    };
    await this.secrets.store(key, JSON.stringify({ token: access.token, expiresAt: access.expiresAt } satisfies StoredAccess));
    await saveEntry(this.paths, fresh);
    if (stored) void client.revokeSshAccess(record.id, stored.token).catch(() => undefined);
    this.log.info(`SSH host ${alias} for sandbox ${record.name} (access until ${access.expiresAt})`);
    return { alias, directCommand: directCommand(fresh), expiresAt: access.expiresAt };
  }

  includePresent(): Promise<boolean> {
    return userConfigIncludes(this.paths);
  }

  /** Add the Include to ~/.ssh/config once the person agreed; true when it is there afterwards. */
  async ensureInclude(): Promise<boolean> {
    if (await userConfigIncludes(this.paths)) return true;
    const add = "Add Include";
    const choice = await vscode.window.showInformationMessage(
      `Daytona keeps the SSH hosts of your sandboxes in ${this.paths.ownedConfig}. Add one line, "Include ${this.paths.ownedConfig}", at the top of ${this.paths.userConfig} so that ssh and the remote-SSH extension find them? Nothing else in your file changes.`,
      { modal: true },
      add,
    );
    if (choice !== add) return false;
    await addUserInclude(this.paths);
    this.log.info(`added the Include of ${this.paths.ownedConfig} to ${this.paths.userConfig}`);
    return true;
  }

  /** A sandbox was deleted: revoke its access (when the client is given) and drop its entry. */
  async forgetSandbox(profileId: string, sandboxId: string, client?: DaytonaClient): Promise<void> {
    await this.forget((e) => e.profileId === profileId && e.sandboxId === sandboxId, client);
    await this.secrets.delete(this.secretKey(profileId, sandboxId));
  }

  /** Sign-out: revoke every access of the profile and drop its entries. */
  async forgetProfile(profileId: string, client?: DaytonaClient): Promise<void> {
    await this.forget((e) => e.profileId === profileId, client);
  }

  private async forget(drop: (e: HostEntry) => boolean, client?: DaytonaClient): Promise<void> {
    const gone = await dropEntries(this.paths, drop);
    for (const e of gone) {
      const key = this.secretKey(e.profileId, e.sandboxId);
      const stored = parseStored(await this.secrets.get(key));
      if (client && stored) {
        await client.revokeSshAccess(e.sandboxId, stored.token).catch((err: unknown) => this.log.warn(`could not revoke the SSH access of ${e.alias}: ${err instanceof Error ? err.message : String(err)}`));
      }
      await this.secrets.delete(key);
      this.log.info(`removed SSH host ${e.alias}`);
    }
  }

  /** Entries of this profile's sandboxes that are no longer listed (deleted elsewhere) go. */
  private schedulePrune(): void {
    clearTimeout(this.pruneTimer);
    this.pruneTimer = setTimeout(() => {
      const st = this.connection.state;
      if (st.kind !== "connected" || !this.store.loaded) return;
      const ids = new Set(this.store.all().map((r) => r.id));
      void this.forget((e) => e.profileId === st.profile.id && !ids.has(e.sandboxId)).catch((err: unknown) => this.log.warn(`SSH hosts: ${String(err)}`));
    }, 1000);
  }
}

function parseStored(text: string | undefined): StoredAccess | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as StoredAccess;
    return typeof v.token === "string" && typeof v.expiresAt === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}

function directCommand(e: HostEntry): string {
  return `ssh${e.port === 22 ? "" : ` -p ${e.port}`} ${e.user}@${e.hostName}`;
}
