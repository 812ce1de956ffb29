// Reading and writing the files behind the SSH hosts: the extension's own ssh_config and
// known_hosts (~/.ssh/daytona_config, ~/.ssh/daytona_known_hosts, mode 0600) and the one Include
// line in the user's ~/.ssh/config. Writes are atomic (temp file + rename, through a symlinked
// ~/.ssh/config to its target) and serialised, so two windows never tear a file.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { withInclude, hasInclude } from "./includeDirective";
import { forgetHostKey, parseOwnedConfig, removeEntries, renderOwnedConfig, upsertEntry, type HostEntry } from "./ownedConfig";

export interface SshPaths {
  home: string;
  userConfig: string;
  ownedConfig: string;
  knownHosts: string;
}

/** Forward slashes throughout: ssh_config takes them on Windows too, and backslashes are escapes there. */
export function sshPaths(home: string): SshPaths {
  const h = home.replace(/\\/g, "/").replace(/\/+$/, "");
  return { home: h, userConfig: `${h}/.ssh/config`, ownedConfig: `${h}/.ssh/daytona_config`, knownHosts: `${h}/.ssh/daytona_known_hosts` };
}

let queue: Promise<unknown> = Promise.resolve();
function serial<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw err;
  }
}

async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  let target = file;
  try {
    target = await fs.realpath(file);
  } catch {
    // Not there yet.
  }
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
  await fs.writeFile(tmp, text, { mode });
  await fs.rename(tmp, target);
}

export function readEntries(paths: SshPaths): Promise<HostEntry[]> {
  return readText(paths.ownedConfig).then(parseOwnedConfig);
}

/** Write (or replace) one sandbox's host entry; a loopback gateway's old key under the alias goes. */
export function saveEntry(paths: SshPaths, entry: HostEntry): Promise<void> {
  return serial(async () => {
    const entries = upsertEntry(await readEntries(paths), entry);
    await writeAtomic(paths.ownedConfig, renderOwnedConfig(entries), 0o600);
    if (entry.knownHostsFile) {
      const known = await readText(paths.knownHosts);
      const kept = forgetHostKey(known, entry.alias);
      if (kept !== known) await writeAtomic(paths.knownHosts, kept, 0o600);
    }
  });
}

/** Remove the entries `drop` picks; returns them (their tokens are for the caller to revoke). */
export function dropEntries(paths: SshPaths, drop: (e: HostEntry) => boolean): Promise<HostEntry[]> {
  return serial(async () => {
    const entries = await readEntries(paths);
    const gone = entries.filter(drop);
    if (gone.length > 0) await writeAtomic(paths.ownedConfig, renderOwnedConfig(removeEntries(entries, drop)), 0o600);
    return gone;
  });
}

export async function userConfigIncludes(paths: SshPaths): Promise<boolean> {
  return hasInclude(await readText(paths.userConfig), paths.ownedConfig, paths.home);
}

/** Prepend the Include to ~/.ssh/config (made if missing, 0600); false when it was there already. */
export function addUserInclude(paths: SshPaths): Promise<boolean> {
  return serial(async () => {
    const before = await readText(paths.userConfig);
    const { text, changed } = withInclude(before, paths.ownedConfig, paths.home);
    if (!changed) return false;
    let mode = 0o600;
    try {
      mode = (await fs.stat(paths.userConfig)).mode & 0o777;
    } catch {
      // New file.
    }
    await writeAtomic(paths.userConfig, text, mode);
    return true;
  });
}
