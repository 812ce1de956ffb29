// Where a result goes in the Test Explorer, as plain data: TestResult -> a path of segments (the test
// file, its suites, the test), each with a stable key, and the local file and line when known. The
// glue turns segments into nested TestItems. vscode-free, so it is unit tested as data.
import * as path from "node:path";
import { ID_SEPARATOR, mapToLocal, relativeToRoot, testId, type SourceLocation, type TestResult } from "../core/testing";

export interface Segment {
  /** Unique among its siblings and stable across runs. */
  key: string;
  label: string;
  /** Local file (absolute) for the item's uri. */
  file?: string;
  /** 1-based line of the item in that file. */
  line?: number;
}

export interface PathContext {
  /** The project folder inside the sandbox. */
  remoteDir: string;
  /** The same folder on this machine. */
  localFolder: string;
  /** Segments in front of every path (fan-out: one "fork <name>" segment per fork). */
  prefix?: Segment[];
}

/** Where the failure happened on this machine, or undefined when outside the project. */
export function localLocation(loc: SourceLocation | undefined, ctx: PathContext): { file: string; line: number; column: number } | undefined {
  if (!loc) return undefined;
  const file = mapToLocal(loc.file, ctx.remoteDir, ctx.localFolder);
  return file ? { file, line: loc.line, column: loc.column ?? 1 } : undefined;
}

/**
 * The segments from the root to the test. A result with a file is grouped under that file (its path
 * relative to the project); without one (node's and mocha's JUnit have none) it sits under its suites,
 * and a failed test takes the file and line of its failure so the editor shows it there.
 */
export function itemPath(r: TestResult, ctx: PathContext): Segment[] {
  const out: Segment[] = [...(ctx.prefix ?? [])];
  const rel = r.file !== undefined ? relativeToRoot(r.file, ctx.remoteDir) : undefined;
  const file = r.file !== undefined ? mapToLocal(r.file, ctx.remoteDir, ctx.localFolder) : undefined;
  if (rel && file) out.push({ key: `file:${rel}`, label: rel, file });
  for (const s of r.suite) out.push({ key: `suite:${s}`, label: s, ...(file ? { file } : {}) });
  const leaf: Segment = { key: `test:${leafKey(r)}`, label: r.name };
  if (file) {
    leaf.file = file;
    if (r.line !== undefined) leaf.line = r.line;
  } else {
    const at = localLocation(r.location, ctx);
    if (at) [leaf.file, leaf.line] = [at.file, at.line];
  }
  out.push(leaf);
  return out;
}

/** The test's name, plus the " (2)" that the parsers add to a repeated id. */
function leafKey(r: TestResult): string {
  const plain = testId(r.file, r.suite, r.name);
  return r.id.startsWith(plain) && r.id.length > plain.length ? r.name + r.id.slice(plain.length) : r.name;
}

/** One id per path, for lookups (VS Code only needs ids unique among siblings). */
export function pathId(rootId: string, segments: readonly Segment[]): string {
  return [rootId, ...segments.map((s) => s.key)].join(ID_SEPARATOR);
}

/** "fork <name>" in front of a fork's results. */
export function forkSegment(name: string): Segment {
  return { key: `fork:${name}`, label: `fork ${name}` };
}

/** A local file relative to the project folder, "/" separated; undefined when outside it. */
export function relativeFile(localFolder: string, file: string): string | undefined {
  const rel = path.relative(localFolder, file);
  if (!rel || rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join("/");
}
