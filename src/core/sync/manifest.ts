// The manifest: what the last sync put in the remote folder. Kept in the sandbox (so any machine can
// diff against it) and in a local cache (so a re-sync can skip the download and re-hash only files whose
// size or mtime moved).
//
// Remote form, <remoteDir>/.daytona-sync/manifest, one entry per line so the sandbox can patch it with
// awk (no JSON tool needed there, and a one-file re-sync sends one line, not the whole manifest):
//   #daytona-sync-manifest 1 <id>
//   <JSON path>\t<JSON entry>
// JSON is written pure ASCII (\uXXXX escapes), so no raw tab, newline or non-ASCII byte can occur in
// a field, and the path field is an exact awk key.

export interface FileEntry {
  size: number;
  mode: number;
  mtimeMs: number;
  sha256: string;
}

export interface Manifest {
  version: 1;
  /** Changes on every applied sync; the remote apply step refuses to run unless it matches. */
  id: string;
  /** Maps, not records: "__proto__" is a legal file name. */
  files: Map<string, FileEntry>;
  links: Map<string, string>;
  dirs: Set<string>;
}

export const MANIFEST_MAGIC = "#daytona-sync-manifest 1";

export const headerLine = (id: string): string => `${MANIFEST_MAGIC} ${id}`;

export function emptyManifest(id = ""): Manifest {
  return { version: 1, id, files: new Map(), links: new Map(), dirs: new Set() };
}

/** A relative POSIX path that stays inside the folder; anything else in a manifest is rejected. */
export function isSafeRelPath(p: string): boolean {
  if (p === "" || p.startsWith("/") || p.includes("\0")) return false;
  return p.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

type Line = { t: "f"; s: number; m: number; mt: number; h: string } | { t: "l"; l: string } | { t: "d" };

export function manifestLine(path: string, m: Manifest): string {
  const f = m.files.get(path);
  const link = m.links.get(path);
  const entry: Line = f
    ? { t: "f", s: f.size, m: f.mode, mt: f.mtimeMs, h: f.sha256 }
    : link !== undefined
      ? { t: "l", l: link }
      : { t: "d" };
  return `${asciiJson(path)}\t${asciiJson(entry)}`;
}

/** The manifest key of a path, as it appears in the first field of its line. */
export const lineKey = (path: string): string => asciiJson(path);

export function allPaths(m: Manifest): string[] {
  return [...m.dirs, ...m.files.keys(), ...m.links.keys()];
}

export function serializeManifest(m: Manifest): string {
  return [headerLine(m.id), ...allPaths(m).sort().map((p) => manifestLine(p, m))].join("\n") + "\n";
}

/** Parse the remote form; throws on anything malformed or unsafe (the sandbox is not trusted blindly). */
export function parseManifest(text: string): Manifest {
  const lines = text.split("\n");
  const head = lines[0];
  if (!head.startsWith(MANIFEST_MAGIC + " ")) throw new Error("not a daytona-sync manifest");
  const m = emptyManifest(head.slice(MANIFEST_MAGIC.length + 1));
  for (const [i, line] of lines.slice(1).entries()) {
    if (line === "") continue;
    const tab = line.indexOf("\t");
    if (tab < 0) throw new Error(`manifest line ${i + 2} is not valid`);
    let p: unknown, e: Line;
    try {
      p = JSON.parse(line.slice(0, tab));
      e = JSON.parse(line.slice(tab + 1)) as Line;
    } catch {
      throw new Error(`manifest line ${i + 2} is not valid`);
    }
    if (typeof p !== "string" || !isSafeRelPath(p)) throw new Error(`manifest line ${i + 2} has an unsafe path`);
    if (e.t === "f" && /^[0-9a-f]{64}$/.test(String(e.h)) && [e.s, e.m, e.mt].every(Number.isFinite)) m.files.set(p, { size: e.s, mode: e.m, mtimeMs: e.mt, sha256: e.h });
    else if (e.t === "l" && typeof e.l === "string") m.links.set(p, e.l);
    else if (e.t === "d") m.dirs.add(p);
    else throw new Error(`manifest line ${i + 2} has an unknown entry`);
  }
  return m;
}

export interface Delta {
  /** Files and links to send (new or changed), and new directories. */
  upload: { files: string[]; links: string[]; dirs: string[] };
  /** Files and links to remove before extracting (gone, or replaced by another kind). */
  remove: string[];
  /** Directories gone locally, deepest first (removed only if empty remotely). */
  rmdirs: string[];
}

export const isEmptyDelta = (d: Delta): boolean =>
  d.upload.files.length + d.upload.links.length + d.upload.dirs.length + d.remove.length + d.rmdirs.length === 0;

/** What turns the remote state `base` into `next`. A mode change re-sends the file (tar sets modes). */
export function diffManifests(base: Manifest, next: Manifest): Delta {
  const d: Delta = { upload: { files: [], links: [], dirs: [] }, remove: [], rmdirs: [] };
  for (const [p, f] of next.files) {
    const old = base.files.get(p);
    if (!old || old.sha256 !== f.sha256 || old.mode !== f.mode) d.upload.files.push(p);
    if (!old && base.links.has(p)) d.remove.push(p);
  }
  for (const [p, target] of next.links) {
    if (base.links.get(p) === target) continue;
    d.upload.links.push(p);
    if (base.files.has(p) || base.links.has(p)) d.remove.push(p);
  }
  for (const p of next.dirs) {
    if (!base.dirs.has(p)) d.upload.dirs.push(p);
    if (base.files.has(p) || base.links.has(p)) d.remove.push(p);
  }
  for (const p of [...base.files.keys(), ...base.links.keys()]) {
    if (!next.files.has(p) && !next.links.has(p) && !next.dirs.has(p)) d.remove.push(p);
  }
  for (const p of base.dirs) if (!next.dirs.has(p)) d.rmdirs.push(p);
  d.rmdirs.sort((a, b) => b.split("/").length - a.split("/").length || (a < b ? 1 : -1));
  d.remove = [...new Set(d.remove)].sort();
  return d;
}

/** Manifest keys the remote must drop before appending the new lines: everything the delta touches. */
export function droppedKeys(d: Delta): string[] {
  return [...new Set([...d.remove, ...d.rmdirs, ...d.upload.files, ...d.upload.links, ...d.upload.dirs])].sort();
}

/**
 * The remote manifest after an apply, computed the way the sandbox's awk does it (drop the touched
 * keys, append the new lines). Used by tests to prove the patch reproduces `next`.
 */
export function applyPatch(baseText: string, drop: readonly string[], add: string, id: string): string {
  const dropped = new Set(drop.map(lineKey));
  const kept = baseText.split("\n").slice(1).filter((l) => l !== "" && !dropped.has(l.slice(0, l.indexOf("\t"))));
  return [headerLine(id), ...kept].join("\n") + "\n" + add;
}
