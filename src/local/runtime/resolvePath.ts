// Confines a path given by a client to what the sandbox itself can see.
//
// The path is walked one component at a time in the sandbox's own namespace: every symlink met is
// read and its target interpreted as an in-sandbox path (an absolute target restarts from the
// sandbox's root, exactly as the kernel would inside bubblewrap). So a link made inside a sandbox that
// names another sandbox's host directory or the data dir resolves to a path inside this sandbox (or to
// nothing), never to the host file. A final realpath check of the deepest existing ancestor guards
// against anything the walk missed. (A link swapped between this check and the open is not covered.)
import * as fs from "node:fs";
import * as path from "node:path";
import { ToolboxError } from "../contract";
import { hostRootEntries, isWithin, type SandboxLayout } from "./layout";

const MAX_PATH = 4096;
const MAX_NAME = 255;
const MAX_LINKS = 40;

export type Access = "read" | "write";

function bad(message: string): ToolboxError {
  return new ToolboxError(400, "BAD_REQUEST", message);
}

function forbidden(sandboxPath: string, access: Access): ToolboxError {
  const what = access === "write" ? "outside the sandbox's writable directories" : "not visible in the sandbox";
  return new ToolboxError(403, "FORBIDDEN", `path ${JSON.stringify(sandboxPath)} is ${what}`);
}

/** Checks the raw text of a path: type, NUL bytes, lengths. Returns it absolute and normalised. */
export function normaliseSandboxPath(raw: unknown, workDir: string): string {
  if (typeof raw !== "string" || raw === "") throw bad("path is required");
  if (raw.includes("\0")) throw bad("path contains a NUL byte");
  if (Buffer.byteLength(raw) > MAX_PATH) throw bad("path is too long");
  for (const part of raw.split("/")) {
    if (Buffer.byteLength(part) > MAX_NAME) throw bad("a path component is longer than 255 bytes");
  }
  return path.posix.resolve(workDir, raw);
}

/** In-sandbox absolute path -> host path, or undefined when the sandbox has nothing there. */
function mapInside(layout: SandboxLayout, p: string): { host: string; writable: boolean } | undefined {
  for (const m of layout.mounts) {
    if (isWithin(p, m.inside)) return { host: m.host + p.slice(m.inside.length), writable: true };
  }
  const top = p.split("/")[1];
  if (top && hostRootEntries().some((e) => e.name === top)) return { host: p, writable: false };
  return undefined;
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/** Follows symlinks inside the sandbox's namespace; returns the symlink-free in-sandbox path. */
function walk(layout: SandboxLayout, start: string, original: string, access: Access): string {
  let resolved = "/";
  let queue = start.split("/").filter(Boolean);
  let links = 0;
  while (queue.length) {
    const comp = queue.shift()!;
    if (comp === ".") continue;
    if (comp === "..") {
      resolved = path.posix.dirname(resolved);
      continue;
    }
    const candidate = path.posix.join(resolved, comp);
    const mapped = mapInside(layout, candidate);
    // Paths between "/" and a mount (such as /home) are virtual: keep walking lexically.
    if (!mapped) {
      if (layout.mounts.some((m) => isWithin(m.inside, candidate))) {
        resolved = candidate;
        continue;
      }
      throw forbidden(original, access);
    }
    const st = lstatOrUndefined(mapped.host);
    if (!st) return path.posix.join(candidate, ...queue);
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw bad("too many levels of symbolic links");
      const target = fs.readlinkSync(mapped.host);
      const rest = queue;
      queue = [...target.split("/").filter(Boolean), ...rest];
      if (target.startsWith("/")) resolved = "/";
      continue;
    }
    resolved = candidate;
  }
  return resolved;
}

function realpathOfDeepestExisting(p: string): string {
  let cur = p;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...tail);
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      tail.unshift(path.basename(cur));
      cur = parent;
    }
  }
}

/**
 * Maps `raw` (as a client names it, relative paths against the work dir) to the host path.
 * `dataDirReal` is the realpath of the server's data dir, which no read may reach except through
 * this sandbox's own mounts.
 */
export function resolveSandboxPath(layout: SandboxLayout, dataDirReal: string, raw: unknown, access: Access): string {
  const original = typeof raw === "string" ? raw : "";
  const inside = walk(layout, normaliseSandboxPath(raw, layout.homeInside), original, access);
  const mapped = mapInside(layout, inside);
  if (!mapped) throw forbidden(original, access);
  if (access === "write" && !mapped.writable) throw forbidden(original, access);
  const real = realpathOfDeepestExisting(mapped.host);
  if (mapped.writable) {
    const mount = layout.mounts.find((m) => isWithin(mapped.host, m.host))!;
    const mountReal = realpathOfDeepestExisting(mount.host);
    if (!isWithin(real, mountReal)) throw forbidden(original, access);
  } else if (isWithin(real, dataDirReal) || !hostRootEntries().some((e) => isWithin(real, realpathOfDeepestExisting(`/${e.name}`)))) {
    throw forbidden(original, access);
  }
  return mapped.host;
}

/** The in-sandbox path of a host path under one of the sandbox's mounts (for listings and search results). */
export function toSandboxPath(layout: SandboxLayout, hostPath: string): string {
  for (const m of layout.mounts) {
    if (isWithin(hostPath, m.host)) return m.inside + hostPath.slice(m.host.length);
  }
  return hostPath;
}

/** True when the host path is the root of one of the sandbox's mounts (never deleted or moved). */
export function isMountRoot(layout: SandboxLayout, hostPath: string): boolean {
  return layout.mounts.some((m) => path.resolve(m.host) === path.resolve(hostPath));
}
