// Reads the records the service stat script prints (serviceCommands.ts), and maps docker/coreutils/
// busybox error text to the Target error codes the file system understands.
import { FileKind, TargetError, type RemoteStat, type TargetErrorCode } from "../targets/target";

export interface StatRecord {
  name: string;
  /** st_mode, type bits included. */
  rawMode: number;
  size: number;
  mtimeSec: number;
  owner: string;
  group: string;
  /** For a symlink: the st_mode of what it points at (absent when dangling). */
  targetMode?: number;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/**
 * Records are `\x01L|mode|size|mtime|owner|group|name` and `\x01T|mode|name`. A listing starts with
 * `\x01N|<hex of the NUL-separated names>`: then names are matched only against that list, in order,
 * so a name's own bytes (newlines, \x01, "L|...") cannot forge or shift an entry. Without an N record
 * (stat of one path the caller named) the records are read as they come.
 */
export function parseStatRecords(output: string): StatRecord[] {
  if (output.startsWith("\u0001N|")) return parseListing(output);
  const records: StatRecord[] = [];
  const byName = new Map<string, StatRecord>();
  for (const chunk of output.split("\u0001")) {
    // A record ends at the newline stat adds; a name may itself hold newlines, so only the last goes.
    const text = chunk.endsWith("\n") ? chunk.slice(0, -1) : chunk;
    let m = /^L\|([0-9a-f]+)\|(\d+)\|(\d+)\|([^|\n]*)\|([^|\n]*)\|([\s\S]*)$/.exec(text);
    if (m) {
      const r: StatRecord = { rawMode: parseInt(m[1], 16), size: Number(m[2]), mtimeSec: Number(m[3]), owner: m[4], group: m[5], name: m[6] };
      records.push(r);
      byName.set(r.name, r);
      continue;
    }
    m = /^T\|([0-9a-f]+)\|([\s\S]*)$/.exec(text);
    if (m) {
      const r = byName.get(m[2]);
      if (r) r.targetMode = parseInt(m[1], 16);
    }
  }
  return records;
}

// eslint-disable-next-line no-control-regex -- records start with \x01 by design
const L_META = /\u0001L\|([0-9a-f]+)\|(\d+)\|(\d+)\|([^|\n\u0001]*)\|([^|\n\u0001]*)\|/y;
// eslint-disable-next-line no-control-regex -- records start with \x01 by design
const T_META = /\u0001T\|([0-9a-f]+)\|/y;

/** `name` at `at`, then the record's newline (or the end: the output may come back trimmed). */
function endsRecord(body: string, at: number, name: string): boolean {
  return body.startsWith(name, at) && (at + name.length === body.length || body[at + name.length] === "\n");
}

function parseListing(output: string): StatRecord[] {
  const eol = output.indexOf("\n");
  const hex = output.slice(3, eol < 0 ? undefined : eol).replace(/[^0-9a-f]/g, "");
  const names = Buffer.from(hex, "hex").toString("utf8").split("\0");
  names.pop(); // the list ends with a NUL
  const body = eol < 0 ? "" : output.slice(eol + 1);
  const records: StatRecord[] = [];
  let pos = 0;
  let next = 0;
  // L records, in argument order; a name stat could not report (it vanished) is skipped.
  while (next < names.length) {
    L_META.lastIndex = pos;
    const m = L_META.exec(body);
    if (!m) break;
    const at = L_META.lastIndex;
    let j = next;
    while (j < names.length && !endsRecord(body, at, names[j])) j++;
    if (j === names.length) break;
    records.push({ rawMode: parseInt(m[1], 16), size: Number(m[2]), mtimeSec: Number(m[3]), owner: m[4], group: m[5], name: names[j] });
    pos = at + names[j].length + 1;
    next = j + 1;
  }
  // T records for the links among them, in the same order.
  const links = records.filter((r) => (r.rawMode & S_IFMT) === S_IFLNK);
  let li = 0;
  while (li < links.length) {
    T_META.lastIndex = pos;
    const m = T_META.exec(body);
    if (!m) break;
    const at = T_META.lastIndex;
    let j = li;
    while (j < links.length && !endsRecord(body, at, links[j].name)) j++;
    if (j === links.length) break;
    links[j].targetMode = parseInt(m[1], 16);
    pos = at + links[j].name.length + 1;
    li = j + 1;
  }
  return records;
}

/** Same shape as the toolbox's stats: links are File|SymbolicLink or Directory|SymbolicLink. */
export function recordToStat(r: StatRecord, user?: string): RemoteStat {
  const kind = (mode: number) => ((mode & S_IFMT) === S_IFDIR ? FileKind.Directory : (mode & S_IFMT) === S_IFREG ? FileKind.File : FileKind.Unknown);
  const isLink = (r.rawMode & S_IFMT) === S_IFLNK;
  const type = isLink ? (r.targetMode !== undefined ? kind(r.targetMode) : FileKind.File) | FileKind.SymbolicLink : kind(r.rawMode);
  const mode = r.rawMode & 0o7777;
  const mine = !user || user === "root" || r.owner === user;
  const mtime = r.mtimeSec * 1000;
  return {
    type,
    size: r.size,
    mtime,
    ctime: mtime,
    mode,
    owner: r.owner,
    group: r.group,
    readonly: !(mine ? (mode & 0o200) !== 0 : (mode & 0o002) !== 0),
  };
}

const CODES: Array<[RegExp, TargetErrorCode]> = [
  [/no such container|is not running|is paused|is restarting/i, "unavailable"],
  [/no such file|nonexistent|can't cd to|not found/i, "notFound"],
  [/permission denied|operation not permitted|read-only file system/i, "noPermissions"],
  [/file exists/i, "exists"],
  [/is a directory/i, "isDirectory"],
  [/not a directory/i, "notDirectory"],
];

/** A failed container file operation as a TargetError (the output is kept in the message). */
export function fileOpError(what: string, output: string, exitCode: number, cause?: unknown): TargetError {
  const text = output.trim() || `exit code ${exitCode}`;
  // "can't cd to x: Not a directory" must not read as not-found: look at the reason after the last colon first.
  const reason = text.split("\n").reverse().find((l) => l.trim()) ?? text;
  const tail = reason.slice(reason.lastIndexOf(":") + 1);
  const code = CODES.find(([re]) => re.test(tail))?.[1] ?? CODES.find(([re]) => re.test(text))?.[1] ?? "other";
  return new TargetError(code, `${what}: ${text}`, cause);
}
