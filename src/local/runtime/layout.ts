// Where a sandbox lives on the host and how in-sandbox paths map onto it.
//
//   <dataDir>/sandboxes/<id>/home        ->  /home/<user>   (writable; also the work dir)
//   <dataDir>/sandboxes/<id>/tmp         ->  /tmp           (writable)
//   <dataDir>/sandboxes/<id>/workspace   ->  /workspace     (writable)
//   <dataDir>/sandboxes/<id>/.toolbox    ->  (not visible inside: upload staging, runtime scratch)
//   host /usr /etc /opt /var /srv, /bin /lib ...  ->  same path, read-only
//
// Everything else of the host (/root, /home, /work, /mnt, the data dir, ...) does not exist inside.
import * as fs from "node:fs";
import * as path from "node:path";
import { ToolboxError, type VolumeMount } from "../contract";

/** Top-level host directories mounted read-only inside every sandbox (when they exist). */
export const HOST_READONLY_DIRS = ["usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt", "var", "srv"];

const USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/;

export function checkUser(user: string): string {
  if (!USER_RE.test(user)) throw new ToolboxError(400, "BAD_REQUEST", `invalid sandbox user name: ${JSON.stringify(user)}`);
  return user;
}

/** One writable area: the in-sandbox mount point and the host directory behind it. */
export interface Mount {
  inside: string;
  host: string;
}

export interface SandboxLayout {
  root: string;
  home: string;
  tmp: string;
  workspace: string;
  scratch: string;
  homeInside: string;
  /** Writable mounts, longest inside-path first. */
  mounts: Mount[];
}

export function sandboxLayout(sandboxesDir: string, id: string, user: string, volumes: VolumeMount[] = []): SandboxLayout {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) || id.includes("..")) {
    throw new ToolboxError(400, "BAD_REQUEST", `invalid sandbox id: ${JSON.stringify(id)}`);
  }
  const root = path.join(sandboxesDir, id);
  const homeInside = `/home/${checkUser(user)}`;
  const l = {
    root,
    home: path.join(root, "home"),
    tmp: path.join(root, "tmp"),
    workspace: path.join(root, "workspace"),
    scratch: path.join(root, ".toolbox"),
    homeInside,
  };
  return {
    ...l,
    // Volumes are host directories today (api/volumeStorage.ts); bound like the sandbox's own areas.
    mounts: [
      { inside: homeInside, host: l.home },
      { inside: "/workspace", host: l.workspace },
      { inside: "/tmp", host: l.tmp },
      ...volumes.map((v) => ({ inside: v.mountPath, host: v.source })),
    ].sort((a, b) => b.inside.length - a.inside.length),
  };
}

/** Host entries at / that are shown read-only inside: directories bound, symlinks (bin -> usr/bin) copied. */
export interface HostRootEntry {
  name: string;
  kind: "dir" | "symlink";
  target?: string;
}

let hostRootCache: HostRootEntry[] | undefined;

export function hostRootEntries(): HostRootEntry[] {
  if (hostRootCache) return hostRootCache;
  const out: HostRootEntry[] = [];
  for (const name of HOST_READONLY_DIRS) {
    const p = `/${name}`;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) out.push({ name, kind: "symlink", target: fs.readlinkSync(p) });
    else if (st.isDirectory()) out.push({ name, kind: "dir" });
  }
  hostRootCache = out;
  return out;
}

/** True when `p` is `dir` or inside it (both absolute, normalised). */
export function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith("/") ? dir : dir + "/");
}
