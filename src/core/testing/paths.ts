// Paths in reports are the sandbox's: map them back to the local workspace, and find the place of a
// failure in a stack trace or message (the first frame that is the project's own code).
import { join } from "node:path";
import { posix } from "node:path";
import type { SourceLocation } from "./results";

/** Turns a file:// URL into a path; leaves anything else as it is. */
export function fromFileUrl(text: string): string {
  if (!text.startsWith("file://")) return text;
  try {
    return decodeURIComponent(new URL(text).pathname);
  } catch {
    return text.slice("file://".length);
  }
}

/**
 * The local path of a path reported in the sandbox: absolute under remoteRoot, relative to it, or a
 * file:// URL. Undefined for anything outside the project (the sandbox's /usr/lib, "../x") and for
 * dependencies (any node_modules folder), which have no local copy to open.
 */
export function mapToLocal(remotePath: string, remoteRoot: string, localRoot: string): string | undefined {
  const rel = relativeToRoot(remotePath, remoteRoot);
  if (rel === undefined) return undefined;
  return rel === "" ? localRoot : join(localRoot, ...rel.split("/"));
}

/** The path relative to remoteRoot ("" for the root itself), or undefined when outside it or in node_modules. */
export function relativeToRoot(remotePath: string, remoteRoot: string): string | undefined {
  const path = fromFileUrl(remotePath.trim());
  if (path === "" || path.includes("\0")) return undefined;
  let rel: string;
  if (path.startsWith("/")) {
    const root = posix.normalize(remoteRoot).replace(/\/+$/, "") || "/";
    const p = posix.normalize(path);
    if (p === root) return "";
    const prefix = root === "/" ? "/" : `${root}/`;
    if (!p.startsWith(prefix)) return undefined;
    rel = p.slice(prefix.length);
  } else {
    rel = posix.normalize(path);
    if (rel === "." ) return "";
  }
  rel = rel.replace(/\/+$/, "");
  if (rel === ".." || rel.startsWith("../")) return undefined;
  if (rel.split("/").includes("node_modules")) return undefined;
  return rel;
}

// path:line[:col], the path with an extension, optionally a file:// URL; not glued to a longer word.
const LOCATION = /(?<![\w./\\-])((?:file:\/\/)?[^\s():'"<>,\\]*[^\s():'"<>,/\\]\.[A-Za-z][A-Za-z0-9]*):(\d+)(?::(\d+))?/g;

// Paths that are never the project's own code, whatever the root.
const FOREIGN = [
  /^node:/,
  /(^|\/)node_modules\//,
  /^internal\//,
  /^\/usr\//,
  /^\/lib\//,
  /^\/rustc\//,
  /\/\.cargo\/registry\//,
  /\/\.rustup\//,
  /\/go\/pkg\/mod\//,
  /(^|\/)site-packages\//,
  /(^|\/)dist-packages\//,
];

/**
 * Every file:line[:col] in the text that can be the project's code, in text order. With `root` (the
 * project folder in the sandbox) absolute paths must be inside it; relative paths are taken as relative to it.
 */
export function parseLocations(text: string, root?: string): SourceLocation[] {
  const out: SourceLocation[] = [];
  for (const m of text.matchAll(LOCATION)) {
    const file = fromFileUrl(m[1]);
    if (FOREIGN.some((re) => re.test(file))) continue;
    if (file.startsWith("../")) continue;
    if (root !== undefined && file.startsWith("/") && relativeToRoot(file, root) === undefined) continue;
    const line = Number(m[2]);
    if (!Number.isSafeInteger(line) || line < 1) continue;
    const loc: SourceLocation = { file, line };
    if (m[3] !== undefined) loc.column = Number(m[3]);
    out.push(loc);
  }
  return out;
}

/** The first file:line[:col] in a stack trace or message that is inside the project (see parseLocations). */
export function parseLocation(text: string, root?: string): SourceLocation | undefined {
  return parseLocations(text, root)[0];
}
