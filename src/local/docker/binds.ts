// Bind mounts of a DinD sandbox's own paths (compose's `./site:/www:ro`) without reaching the host.
//
// The engine mounts a bind source on the host, following symbolic links there: a link swapped into
// the path at the right moment would mount a host directory. So a source is an in-sandbox path mapped
// onto the sandbox container's overlay (its merged directory), and a container with such binds is
// only ever started while the sandbox and its running services are frozen (paused): every component
// of each source is checked, through the engine's archive API (it works on paused containers), to be
// no symbolic link, the start goes through, then everything is thawed. Nothing can swap a link in
// between, because nothing that could is running.
//
// The engine mounts a container's bind sources again whenever it starts it (a restart, a restart
// policy) and whenever it copies files in or out of it (its archive calls, running or not); and a
// container that takes another's volumes (--volumes-from) mounts the same sources. So the guard sends a
// restart of such a container through this start, refuses restart policies, archive and export calls
// on it and volumes-from of it (guard.ts, guardRules.ts). Starts with binds run one at a time per
// sandbox, and calls that could let a frozen writer go on (unpause) wait for them (the gate below).
import * as http from "node:http";
import * as path from "node:path";
import type Docker from "dockerode";
import { GuardRefusal } from "./guardRules";

/** Go's os.ModeSymlink in the engine's path stat. */
const MODE_SYMLINK = 1 << 27;

/** The container's root file system on the host (overlay2's merged directory). */
export async function mergedDir(docker: Docker, container: string): Promise<string> {
  const info = await docker.getContainer(container).inspect();
  const merged = (info.GraphDriver?.Data as Record<string, string> | undefined)?.MergedDir;
  if (info.GraphDriver?.Name !== "overlay2" || !merged) throw new GuardRefusal(403, `local Daytona sandbox: bind mounts need the overlay2 storage driver (this engine uses ${info.GraphDriver?.Name}): use a named volume`);
  return merged;
}

/** Refuses unless every component of `inside` exists in the container and none is a symbolic link. */
export async function checkNoSymlinks(docker: Docker, container: string, inside: string): Promise<void> {
  const norm = path.posix.normalize(inside);
  if (!norm.startsWith("/") || norm.split("/").includes("..")) throw new GuardRefusal(403, `local Daytona sandbox: bind source ${inside} is not an absolute path`);
  const parts = norm.split("/").filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const p = "/" + parts.slice(0, i).join("/");
    const head = await statPath(docker, container, p);
    if (!head) throw new GuardRefusal(403, `local Daytona sandbox: bind source ${inside}: ${p} does not exist in the sandbox`);
    if ((head.mode & MODE_SYMLINK) !== 0) throw new GuardRefusal(403, `local Daytona sandbox: bind source ${inside}: ${p} is a symbolic link`);
  }
}

/** The engine's stat of a path in a container (the X-Docker-Container-Path-Stat header), or undefined. */
async function statPath(docker: Docker, container: string, p: string): Promise<{ mode: number; linkTarget: string } | undefined> {
  const socketPath = (docker.modem as unknown as { socketPath: string }).socketPath;
  return new Promise((resolve) => {
    const req = http.request({ socketPath, method: "HEAD", path: `/containers/${encodeURIComponent(container)}/archive?path=${encodeURIComponent(p)}` }, (res) => {
      res.resume();
      const h = res.headers["x-docker-container-path-stat"];
      if (res.statusCode !== 200 || typeof h !== "string") return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.from(h, "base64").toString("utf8")) as { mode: number; linkTarget: string });
      } catch {
        resolve(undefined);
      }
    });
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

interface Gate {
  exclusive?: Promise<void>;
  shared: Set<Promise<unknown>>;
}
const gates = new Map<string, Gate>();
const gateOf = (key: string): Gate => gates.get(key) ?? gates.set(key, { shared: new Set() }).get(key)!;

/** Runs `fn` when no start with binds of this sandbox is under way (one that begins waits for it). */
export async function outsideBindStarts<T>(sandboxContainer: string, fn: () => Promise<T>): Promise<T> {
  const g = gateOf(sandboxContainer);
  while (g.exclusive) await g.exclusive;
  const p = fn();
  g.shared.add(p);
  try {
    return await p;
  } finally {
    g.shared.delete(p);
  }
}

async function oneBindStart<T>(sandboxContainer: string, fn: () => Promise<T>): Promise<T> {
  const g = gateOf(sandboxContainer);
  while (g.exclusive) await g.exclusive;
  let release!: () => void;
  g.exclusive = new Promise((r) => (release = r));
  try {
    await Promise.allSettled([...g.shared]);
    return await fn();
  } finally {
    g.exclusive = undefined;
    release();
  }
}

/** The host paths of a container's bind mounts (Binds and Mounts of type bind). */
export function bindSources(hc: Docker.ContainerInspectInfo["HostConfig"]): string[] {
  const mounts = ((hc as { Mounts?: { Type?: string; Source?: string }[] }).Mounts ?? []).filter((m) => m.Type === "bind" && m.Source).map((m) => m.Source!);
  return [...(hc.Binds ?? []).map((b) => b.split(":")[0]), ...mounts];
}

/**
 * Start a container that has bind mounts of the sandbox's paths: with the sandbox and its running
 * containers paused, check every such source, start, thaw. `start` does the start itself (through the
 * proxy, or directly when the runtime restarts a sandbox's services).
 */
export function startWithBinds(docker: Docker, o: { sandboxContainer: string; label: string; container: string; start: () => Promise<void> }): Promise<void> {
  return oneBindStart(o.sandboxContainer, () => frozenStart(docker, o));
}

async function frozenStart(docker: Docker, o: { sandboxContainer: string; label: string; container: string; start: () => Promise<void> }): Promise<void> {
  const target = await docker.getContainer(o.container).inspect();
  const merged = await mergedDir(docker, o.sandboxContainer);
  const all = bindSources(target.HostConfig);
  const sources = all.filter((src) => src.startsWith(merged + "/"));
  // Anything else would be a host path: the guard never makes one, so refuse rather than mount it.
  // A source elsewhere is one of the sandbox's earlier container (archived and started again): its
  // files are gone, and the engine would make the missing folder on the host. Not mounted.
  if (sources.length !== all.filter((src) => src.startsWith("/")).length) {
    throw new GuardRefusal(409, `local Daytona sandbox: container ${target.Name.replace(/^\//, "")} binds folders of the sandbox's earlier container (before it was archived): recreate it (docker-compose up -d --force-recreate)`);
  }
  if (sources.length === 0) return o.start();
  const running = (await docker.listContainers({ filters: { label: [o.label], status: ["running"] } })).map((c) => c.Id);
  const frozen: string[] = [];
  try {
    for (const id of [o.sandboxContainer, ...running]) {
      await docker.getContainer(id).pause();
      frozen.push(id);
    }
    for (const src of sources) await checkNoSymlinks(docker, o.sandboxContainer, src.slice(merged.length));
    await o.start();
  } finally {
    await Promise.allSettled(frozen.map((id) => docker.getContainer(id).unpause()));
  }
}
