// Bind mounts of a DinD sandbox's own paths (compose's `./site:/www:ro`) without reaching the host.
//
// The engine mounts a bind source on the host, following symbolic links there: a link swapped into
// the path at the right moment would mount a host directory. So a source is an in-sandbox path mapped
// onto the sandbox container's overlay (its merged directory), and a container with such binds is
// only ever started while the sandbox and its running services are frozen (paused): every component
// of each source is checked, through the engine's archive API (it works on paused containers), to be
// no symbolic link, the start goes through, then everything is thawed. Nothing can swap a link in
// between, because nothing that could is running.
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

/**
 * Start a container that has bind mounts of the sandbox's paths: with the sandbox and its running
 * containers paused, check every such source, start, thaw. `start` does the start itself (through the
 * proxy, or directly when the runtime restarts a sandbox's services).
 */
export async function startWithBinds(docker: Docker, o: { sandboxContainer: string; label: string; container: string; start: () => Promise<void> }): Promise<void> {
  const target = await docker.getContainer(o.container).inspect();
  const merged = await mergedDir(docker, o.sandboxContainer);
  const sources = (target.HostConfig.Binds ?? []).map((b) => b.split(":")[0]).filter((src) => src.startsWith(merged + "/"));
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
