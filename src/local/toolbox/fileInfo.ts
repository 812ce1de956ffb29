// FileInfo as the Daytona daemon (Go) reports it: mode like Go's FileMode.String(), permissions as
// four octal digits, modTime in Go's time.String() layout, modifiedAt as RFC 3339, owner/group names.
import * as fs from "node:fs";

export interface FileInfo {
  name: string;
  isDir: boolean;
  size: number;
  modTime: string;
  modifiedAt: string;
  mode: string;
  permissions: string;
  owner: string;
  group: string;
  path?: string;
}

function readIdNames(file: string): Map<number, string> {
  const m = new Map<number, string>();
  try {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const f = line.split(":");
      if (f.length >= 3 && /^\d+$/.test(f[2])) m.set(Number(f[2]), f[0]);
    }
  } catch {
    // no names: numeric ids are shown
  }
  return m;
}

let users: Map<number, string> | undefined;
let groups: Map<number, string> | undefined;

export function userName(uid: number): string {
  users ??= readIdNames("/etc/passwd");
  return users.get(uid) ?? String(uid);
}

export function groupName(gid: number): string {
  groups ??= readIdNames("/etc/group");
  return groups.get(gid) ?? String(gid);
}

/** A user or group given by name or number -> numeric id. */
export function lookupId(kind: "user" | "group", nameOrId: string): number | undefined {
  if (/^\d+$/.test(nameOrId)) return Number(nameOrId);
  const m = kind === "user" ? (users ??= readIdNames("/etc/passwd")) : (groups ??= readIdNames("/etc/group"));
  for (const [id, name] of m) if (name === nameOrId) return id;
  return undefined;
}

export function goModeString(st: fs.Stats): string {
  let prefix = "";
  if (st.isDirectory()) prefix += "d";
  else if (st.isSymbolicLink()) prefix += "L";
  else if (st.isFIFO()) prefix += "p";
  else if (st.isSocket()) prefix += "S";
  else if (st.isBlockDevice()) prefix += "D";
  else if (st.isCharacterDevice()) prefix += "Dc";
  if (st.mode & 0o4000) prefix += "u";
  if (st.mode & 0o2000) prefix += "g";
  if (st.mode & 0o1000) prefix += "t";
  const rwx = "rwxrwxrwx";
  let perms = "";
  for (let i = 0; i < 9; i++) perms += st.mode & (1 << (8 - i)) ? rwx[i] : "-";
  return (prefix || "-") + perms;
}

/** Go's time.Time.String() in UTC, e.g. "2024-05-01 10:20:30.123456789 +0000 UTC". */
export function goTimeString(d: Date, nanos?: bigint): string {
  const ns = nanos !== undefined ? Number(nanos % 1_000_000_000n) : d.getUTCMilliseconds() * 1_000_000;
  const frac = ns ? "." + String(ns).padStart(9, "0").replace(/0+$/, "") : "";
  // toISOString is "YYYY-MM-DDTHH:MM:SS.mmmZ" for years 0-9999 (a listing formats thousands of these).
  const iso = d.toISOString();
  if (iso.length === 24) return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac} +0000 UTC`;
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const base = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `${base}${frac} +0000 UTC`;
}

export function fileInfo(name: string, st: fs.Stats, fullPath?: string): FileInfo {
  const mtime = st.mtime;
  const info: FileInfo = {
    name,
    isDir: st.isDirectory(),
    size: st.size,
    modTime: goTimeString(mtime),
    modifiedAt: mtime.toISOString(),
    mode: goModeString(st),
    permissions: (st.mode & 0o7777).toString(8).padStart(4, "0"),
    owner: userName(st.uid),
    group: groupName(st.gid),
  };
  if (fullPath !== undefined) info.path = fullPath;
  return info;
}
