// The extension's own ssh_config file (~/.ssh/daytona_config): one block per sandbox, each between
// marker comments that carry what the extension needs to find it again (profile, sandbox id,
// expiry). The file is only ever written whole by the extension; the user's ~/.ssh/config just
// Includes it. Every value written is checked against a strict character set first, so no name can
// add a directive, a Host line or a comment.
import { SAFE_ALIAS } from "./hostAlias";
import { SAFE_HOST, SAFE_USER } from "./sshTarget";

export interface HostEntry {
  alias: string;
  profileId: string;
  sandboxId: string;
  /** ISO date the SSH access expires. */
  expiresAt: string;
  hostName: string;
  port: number;
  user: string;
  /** Loopback gateways (the local twin): their own known_hosts file and a stable key alias. */
  knownHostsFile?: string;
}

export const OWNED_HEADER = "# Written by the Daytona Sandboxes VS Code extension. It rewrites and removes these entries; edits here are lost.";
const BEGIN = "# >>> daytona";
const END = "# <<< daytona";
const SAFE_ID = /^[A-Za-z0-9._:-]{1,200}$/;
const SAFE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
// An absolute path (POSIX, or Windows with forward slashes): no quotes, '%' (ssh's token expansion),
// '$', backslashes or control characters; spaces are allowed and quoted (configWord).
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const SAFE_PATH = /^(?:[A-Za-z]:)?\/[^"%$\\\x00-\x1f\x7f]{0,1000}$/;

/** A path as one ssh_config word: double-quoted when it has spaces or '#'. */
export function configWord(p: string): string {
  if (!SAFE_PATH.test(p)) throw new HostEntryError(`the path ${JSON.stringify(p)} cannot be written to an ssh_config file`);
  return /[\s#=]/.test(p) ? `"${p}"` : p;
}

export class HostEntryError extends Error {}

export function checkEntry(e: HostEntry): void {
  const bad = (field: string) => {
    throw new HostEntryError(`refusing to write an ssh host entry: ${field} has characters ssh_config could misread`);
  };
  if (!SAFE_ALIAS.test(e.alias)) bad("the host alias");
  if (!SAFE_ID.test(e.profileId)) bad("the profile id");
  if (!SAFE_ID.test(e.sandboxId)) bad("the sandbox id");
  if (!SAFE_ISO.test(e.expiresAt)) bad("the expiry");
  if (!SAFE_HOST.test(e.hostName)) bad("the gateway host");
  if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535) bad("the gateway port");
  if (!SAFE_USER.test(e.user)) bad("the access token");
  if (e.knownHostsFile !== undefined && !SAFE_PATH.test(e.knownHostsFile)) bad("the known_hosts path");
}

export function renderEntry(e: HostEntry): string {
  checkEntry(e);
  const lines = [
    `${BEGIN} profile=${e.profileId} sandbox=${e.sandboxId} expires=${e.expiresAt}`,
    `Host ${e.alias}`,
    `  HostName ${e.hostName}`,
    `  Port ${e.port}`,
    `  User ${e.user}`,
    // The gateway takes the token as the user name; no keys, agent or forwarding of the user's own.
    "  PasswordAuthentication no",
    "  KbdInteractiveAuthentication no",
    "  IdentitiesOnly yes",
    "  ForwardAgent no",
    "  ServerAliveInterval 30",
  ];
  if (e.knownHostsFile) {
    // The local twin's port changes with each start and its key with each data dir: its key is
    // kept under the alias in the extension's own known_hosts file (see forgetHostKey).
    lines.push(`  HostKeyAlias ${e.alias}`, `  UserKnownHostsFile ${configWord(e.knownHostsFile)}`, "  StrictHostKeyChecking accept-new");
  }
  lines.push(END);
  return lines.join("\n");
}

const BEGIN_LINE = /^# >>> daytona profile=(\S+) sandbox=(\S+) expires=(\S+)$/;

/** The entries of an owned file (blocks the extension did not write are dropped on the next write). */
export function parseOwnedConfig(text: string): HostEntry[] {
  const out: HostEntry[] = [];
  let cur: Partial<HostEntry> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const m = BEGIN_LINE.exec(line);
    if (m) {
      cur = { profileId: m[1], sandboxId: m[2], expiresAt: m[3] };
      continue;
    }
    if (!cur) continue;
    if (line === END) {
      const e = cur as HostEntry;
      try {
        checkEntry(e);
        out.push(e);
      } catch {
        // A damaged block is dropped rather than written back.
      }
      cur = undefined;
      continue;
    }
    const sp = line.search(/\s/);
    const key = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? "" : line.slice(sp).trim();
    const value = rest.length >= 2 && rest.startsWith('"') && rest.endsWith('"') ? rest.slice(1, -1) : rest;
    switch (key?.toLowerCase()) {
      case "host":
        cur.alias = value;
        break;
      case "hostname":
        cur.hostName = value;
        break;
      case "port":
        cur.port = Number(value);
        break;
      case "user":
        cur.user = value;
        break;
      case "userknownhostsfile":
        cur.knownHostsFile = value;
        break;
    }
  }
  return out;
}

export function renderOwnedConfig(entries: readonly HostEntry[]): string {
  const sorted = [...entries].sort((a, b) => a.alias.localeCompare(b.alias));
  return [OWNED_HEADER, "", ...sorted.map((e) => `${renderEntry(e)}\n`)].join("\n");
}

/** Add or replace the entry of one sandbox (by alias, and by profile + sandbox id). */
export function upsertEntry(entries: readonly HostEntry[], entry: HostEntry): HostEntry[] {
  checkEntry(entry);
  return [...entries.filter((e) => e.alias !== entry.alias && !(e.profileId === entry.profileId && e.sandboxId === entry.sandboxId)), entry];
}

export function removeEntries(entries: readonly HostEntry[], drop: (e: HostEntry) => boolean): HostEntry[] {
  return entries.filter((e) => !drop(e));
}

/** known_hosts text without the lines of one host alias (the extension's own file only). */
export function forgetHostKey(knownHosts: string, alias: string): string {
  return knownHosts
    .split("\n")
    .filter((line) => !line.split(/\s+/, 1)[0].split(",").includes(alias))
    .join("\n");
}
