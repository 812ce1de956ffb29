// Workspace -> sandbox sync.
//
// 1. Scan the local folder (scan.ts): every .gitignore and .daytonaignore applies relative to its own
//    folder, .git and .daytona-sync never sync. Symlinks staying inside the folder stay links; one that
//    leads outside (or is absolute) refuses the whole sync with an error naming it, or, with
//    `outsideLinks: "skip"`, is left out and reported in `skipped`. Sockets and FIFOs are skipped.
// 2. Find the base: the manifest of the last applied sync. From the local cache when there is one
//    (no round trip, optimistic), else downloaded from <remoteDir>/.daytona-sync/manifest (1 round trip;
//    missing = cold sync).
// 3. Cold: everything goes in one tar.gz stream, hashed while it is read (one read per file).
//    Otherwise: hash only files whose size/mtime moved since the cache, diff against the base.
// 4. Upload one stream (payload + deletions + manifest patch; see apply.ts) and run one command that
//    checks the remote manifest is still the base, removes, extracts and swaps in the new manifest.
//    If the base was stale (another machine synced), download the real one and go again once.
//
// Round trips: cold 3 (download, upload, exec); re-sync with a cache 2 (upload, exec), 1 when nothing
// changed (check only); from a fresh machine 3. Cancel (AbortSignal) works through scan, hash, pack and
// upload; nothing is extracted until the upload has completed, so an aborted sync leaves the remote
// folder as it was. The manifest records what sync wrote: files changed by hand in the sandbox are not
// detected (only a local change or a manifest change causes a re-send). One sync at a time per folder.
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { Readable } from "node:stream";
import { EXIT_MANIFEST_CHANGED, applyCommand, buildSections } from "./apply";
import { cacheFile, loadCachedManifest, saveCachedManifest } from "./cache";
import { hashFiles } from "./hash";
import { META_DIR } from "./ignore";
import { diffManifests, emptyManifest, headerLine, isEmptyDelta, parseManifest, type Delta, type Manifest } from "./manifest";
import { packEntries } from "./pack";
import { scanFolder, type ScanResult, type Skipped } from "./scan";
import type { TarEntry } from "./tar";
import { CountingTarget, type SyncTarget } from "./target";

export { sandboxTarget, type SandboxLike } from "./sandboxTarget";
export type { SyncTarget, ExecResult } from "./target";
export type { Skipped } from "./scan";

export interface SyncProgress {
  phase: "scan" | "hash" | "pack" | "upload" | "apply";
  done: number;
  total: number;
}

export interface SyncOptions {
  /** Folder for the local manifest cache; without it every sync downloads the remote manifest. */
  cacheDir?: string;
  onProgress?(p: SyncProgress): void;
  signal?: AbortSignal;
  /** What to do with symlinks that lead outside the folder: fail the sync (default) or leave them out. */
  outsideLinks?: "refuse" | "skip";
  /** Extra gitignore patterns, applied at the root. */
  ignore?: readonly string[];
  /** gzip (default) pays off on real networks; "none" for a loopback server. */
  compression?: "gzip" | "none";
}

export interface SyncResult {
  /** Files and symlinks sent. */
  uploadedFiles: number;
  /** Files and symlinks removed remotely. */
  deletedFiles: number;
  /** Bytes of the upload stream (compressed payload plus deletions and manifest patch). */
  bytesSent: number;
  roundTrips: number;
  /** True when there was no remote manifest, so everything was sent. */
  cold: boolean;
  skipped: Skipped[];
}

export class SyncError extends Error {
  override name = "SyncError";
}

/** Thrown when the AbortSignal fires; callers treat it as a silent cancellation. */
export class SyncCancelledError extends Error {
  override name = "SyncCancelledError";
  constructor() {
    super("Sync cancelled");
  }
}

const manifestPath = (remoteDir: string) => path.posix.join(remoteDir, META_DIR, "manifest");

/** The base a delta is computed against, and the manifest's first line the apply step must find. */
interface Base {
  manifest?: Manifest;
  header: string;
}

async function fetchRemoteBase(t: SyncTarget, remoteDir: string): Promise<Base> {
  const bytes = await t.download(manifestPath(remoteDir));
  if (bytes === undefined) return { header: "" };
  const text = bytes.toString("utf8");
  try {
    const manifest = parseManifest(text);
    return { manifest, header: headerLine(manifest.id) };
  } catch {
    // A corrupt manifest counts as none: a full upload follows, and the apply replaces it.
    return { header: text.split("\n", 1)[0] };
  }
}

function tarEntries(scan: ScanResult, next: Manifest, delta: Delta | undefined): TarEntry[] {
  const now = Date.now();
  const dirs = delta ? delta.upload.dirs : [...next.dirs];
  const files = delta ? delta.upload.files : [...next.files.keys()];
  const links = delta ? delta.upload.links : [...next.links.keys()];
  return [
    ...dirs.map((p): TarEntry => ({ path: p, type: "dir", mode: 0o755, mtimeMs: now })),
    ...files.map((p): TarEntry => {
      const f = scan.files.get(p)!;
      return { path: p, type: "file", mode: f.mode, size: f.size, mtimeMs: f.mtimeMs };
    }),
    ...links.map((p): TarEntry => ({ path: p, type: "symlink", mode: 0o777, mtimeMs: now, linkTarget: next.links.get(p)! })),
  ];
}

export async function syncFolder(target: SyncTarget, localDir: string, remoteDir: string, options: SyncOptions = {}): Promise<SyncResult> {
  try {
    return await run(new CountingTarget(target), path.resolve(localDir), remoteDir, options);
  } catch (e) {
    if (options.signal?.aborted) throw new SyncCancelledError();
    throw e;
  }
}

async function run(t: CountingTarget, localDir: string, remoteDir: string, o: SyncOptions): Promise<SyncResult> {
  const progress = (phase: SyncProgress["phase"], done: number, total: number) => o.onProgress?.({ phase, done, total });
  const scan = await scanFolder(localDir, { ignore: o.ignore, signal: o.signal, onEntry: (n) => progress("scan", n, n) });
  if (scan.outsideLinks.length && o.outsideLinks !== "skip") {
    const list = scan.outsideLinks.map((s) => `${s.path}: ${s.reason}`).join("; ");
    throw new SyncError(`Refusing to sync ${localDir}: ${list}`);
  }
  const skipped = [...scan.skipped, ...(o.outsideLinks === "skip" ? scan.outsideLinks : [])];
  const cache = o.cacheDir ? cacheFile(o.cacheDir, t.id, localDir, remoteDir) : undefined;
  const cached = cache ? await loadCachedManifest(cache) : undefined;

  let base: Base = cached ? { manifest: cached, header: headerLine(cached.id) } : await fetchRemoteBase(t, remoteDir);
  let optimistic = cached !== undefined;
  for (;;) {
    const r = await attempt(t, scan, localDir, remoteDir, base, cached, optimistic, o, progress);
    if (r.kind === "done") {
      if (cache) await saveCachedManifest(cache, r.manifest);
      return { ...r.result, roundTrips: t.roundTrips, skipped };
    }
    if (!optimistic) throw new SyncError(`The folder ${remoteDir} in the sandbox changed during the sync; sync again.`);
    // The cache was stale (another machine synced, or the sandbox was reset): use the real base.
    base = await fetchRemoteBase(t, remoteDir);
    optimistic = false;
  }
}

type Attempt = { kind: "done"; manifest: Manifest; result: Omit<SyncResult, "roundTrips" | "skipped"> } | { kind: "stale" };

async function attempt(
  t: SyncTarget,
  scan: ScanResult,
  localDir: string,
  remoteDir: string,
  { manifest: base, header: baseHeader }: Base,
  hints: Manifest | undefined,
  optimistic: boolean,
  o: SyncOptions,
  progress: (phase: SyncProgress["phase"], done: number, total: number) => void,
): Promise<Attempt> {
  const next = emptyManifest(randomUUID());
  for (const [p, l] of scan.links) next.links.set(p, l);
  for (const d of scan.dirs) next.dirs.add(d);
  let delta: Delta | undefined;
  if (base) {
    // Not cold: hashes are needed before the diff (re-using the cache's for untouched files).
    const hashed = await hashFiles(localDir, scan.files, hints, { signal: o.signal, onProgress: (d, n) => progress("hash", d, n) });
    for (const [p, f] of hashed) next.files.set(p, f);
    delta = diffManifests(base, next);
    if (isEmptyDelta(delta)) {
      // Nothing to send. With a cached base, one command confirms the sandbox still has it.
      if (optimistic) {
        const r = await t.exec(applyCommand({ remoteDir, baseHeader, nextId: "" }));
        if (r.exitCode === EXIT_MANIFEST_CHANGED) return { kind: "stale" };
        if (r.exitCode !== 0) throw new SyncError(`Checking ${remoteDir} in the sandbox failed (exit ${r.exitCode}): ${r.output}`);
      }
      next.id = base.id;
      return { kind: "done", manifest: next, result: { uploadedFiles: 0, deletedFiles: 0, bytesSent: 0, cold: false } };
    }
  } else {
    for (const [p, f] of scan.files) next.files.set(p, { ...f, sha256: "" }); // hashed while packed
  }

  const entries = tarEntries(scan, next, delta);
  const total = entries.reduce((n, e) => n + (e.size ?? 0), 0);
  const gzip = o.compression !== "none";
  const packed = packEntries(entries, {
    root: localDir,
    gzip,
    signal: o.signal,
    onEntry: (done, count, bytes) => {
      progress("pack", done, count);
      progress("upload", bytes, total);
    },
  });
  let payloadBytes = 0;
  let sectionBytes = 0;
  let sections: ReturnType<typeof buildSections> | undefined;
  async function* body(): AsyncGenerator<Buffer> {
    for await (const chunk of packed.stream) {
      payloadBytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    // The manifest records exactly what was read and sent.
    for (const [p, h] of packed.hashes) next.files.set(p, { ...next.files.get(p)!, size: h.size, sha256: h.sha256 });
    const d = delta ?? diffManifests(emptyManifest(), next);
    sections = buildSections(d, next);
    for (const s of [sections.rm, sections.rmdir, sections.drop, sections.add]) {
      sectionBytes += s.length;
      if (s.length) yield s;
    }
  }
  const archive = `incoming-${next.id}`;
  await t.upload(Readable.from(body()), path.posix.join(remoteDir, META_DIR, archive), o.signal);
  o.signal?.throwIfAborted();

  progress("apply", 0, 1);
  const cmd = applyCommand({ remoteDir, baseHeader, nextId: next.id, archive, payloadBytes, sections, gzip });
  const r = await t.exec(cmd);
  if (r.exitCode === EXIT_MANIFEST_CHANGED) return { kind: "stale" };
  if (r.exitCode !== 0) throw new SyncError(`Applying the sync in ${remoteDir} failed (exit ${r.exitCode}): ${r.output}`);
  progress("apply", 1, 1);
  const sent = delta ? delta.upload.files.length + delta.upload.links.length : next.files.size + next.links.size;
  const deleted = delta ? delta.remove.filter((p) => !next.files.has(p) && !next.links.has(p) && !next.dirs.has(p)).length : 0;
  return { kind: "done", manifest: next, result: { uploadedFiles: sent, deletedFiles: deleted, bytesSent: payloadBytes + sectionBytes, cold: !base } };
}
