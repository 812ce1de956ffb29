// FileInfo as the Daytona daemon (Go) reports it: mode like Go's FileMode.String(), permissions as
// four octal digits, modTime in Go's time.String() layout, modifiedAt as RFC 3339, owner/group names.
import type { SandboxStat } from "../contract";

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

const S_IFMT = 0o170000;

/** Go's FileMode.String() for an st_mode. */
export function goModeString(st: { mode: number }): string {
  let prefix = "";
  const type = st.mode & S_IFMT;
  if (type === 0o040000) prefix += "d";
  else if (type === 0o120000) prefix += "L";
  else if (type === 0o010000) prefix += "p";
  else if (type === 0o140000) prefix += "S";
  else if (type === 0o060000) prefix += "D";
  else if (type === 0o020000) prefix += "Dc";
  if (st.mode & 0o4000) prefix += "u";
  if (st.mode & 0o2000) prefix += "g";
  if (st.mode & 0o1000) prefix += "t";
  const rwx = "rwxrwxrwx";
  let perms = "";
  for (let i = 0; i < 9; i++) perms += st.mode & (1 << (8 - i)) ? rwx[i] : "-";
  return (prefix || "-") + perms;
}

/** Go's time.Time.String() in UTC, e.g. "2024-05-01 10:20:30.123456789 +0000 UTC". */
export function goTimeString(d: Date, nanos?: bigint, isoString?: string): string {
  const ns = nanos !== undefined ? Number(nanos % 1_000_000_000n) : d.getUTCMilliseconds() * 1_000_000;
  const frac = ns ? "." + String(ns).padStart(9, "0").replace(/0+$/, "") : "";
  // toISOString is "YYYY-MM-DDTHH:MM:SS.mmmZ" for years 0-9999 (a listing formats thousands of these).
  const iso = isoString ?? d.toISOString();
  if (iso.length === 24) return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac} +0000 UTC`;
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const base = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `${base}${frac} +0000 UTC`;
}

/** Mode strings by st_mode: a listing's entries share a handful of modes. */
const modeStrings = new Map<number, { mode: string; permissions: string }>();

function modeFields(mode: number): { mode: string; permissions: string } {
  let m = modeStrings.get(mode);
  if (!m) {
    m = { mode: goModeString({ mode }), permissions: (mode & 0o7777).toString(8).padStart(4, "0") };
    if (modeStrings.size < 1024) modeStrings.set(mode, m);
  }
  return m;
}

export function fileInfo(st: SandboxStat, fullPath?: string): FileInfo {
  const mtime = new Date(st.mtimeMs);
  const iso = mtime.toISOString();
  const modes = modeFields(st.mode);
  const info: FileInfo = {
    name: st.name,
    isDir: st.isDir,
    size: st.size,
    modTime: goTimeString(mtime, undefined, iso),
    modifiedAt: iso,
    mode: modes.mode,
    permissions: modes.permissions,
    owner: st.owner,
    group: st.group,
  };
  if (fullPath !== undefined) info.path = fullPath;
  return info;
}
