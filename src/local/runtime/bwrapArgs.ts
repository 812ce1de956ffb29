// The bubblewrap command line for one process in a sandbox (pure: tested as data).
//
// The new root is an empty tmpfs. Host system directories (HOST_READONLY_DIRS) are bound read-only,
// top-level symlinks such as /bin -> usr/bin are recreated, /proc and /dev are fresh, /run is an empty
// tmpfs (no host sockets such as docker.sock; a DinD sandbox gets its own docker proxy socket bound at
// /run/docker.sock, which /var/run/docker.sock reaches), and the sandbox's own home, /tmp and /workspace are
// bound writable. The data dir gets a tmpfs over it in case it lies under a bound directory (for example
// /var/lib/...), so neither other sandboxes nor the server's state can be seen. A pid namespace plus
// --die-with-parent means killing bubblewrap kills everything started inside, daemons included.
import type { HostRootEntry, SandboxLayout } from "./layout";
import { isWithin } from "./layout";

export interface BwrapOptions {
  layout: SandboxLayout;
  hostRoot: HostRootEntry[];
  dataDirReal: string;
  networkBlockAll: boolean;
  /** Working directory inside the sandbox. */
  cwd: string;
  /** Put the command in a new session (not for pty children: that would drop the controlling tty). */
  newSession: boolean;
  /** Host path of the sandbox's docker proxy socket (DinD sandboxes only). */
  dockerSocket?: string;
  /** The host's /var/run is a real directory, not a link to /run: hide it too (it may hold docker.sock). */
  varRunIsDir?: boolean;
}

export function bwrapArgs(o: BwrapOptions): string[] {
  const a = ["--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", "sandbox"];
  if (o.networkBlockAll) a.push("--unshare-net");
  if (o.newSession) a.push("--new-session");
  for (const e of o.hostRoot) {
    if (e.kind === "symlink") a.push("--symlink", e.target!, `/${e.name}`);
    else a.push("--ro-bind", `/${e.name}`, `/${e.name}`);
  }
  a.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/run");
  if (o.varRunIsDir) a.push("--tmpfs", "/var/run");
  if (o.dockerSocket) {
    a.push("--bind", o.dockerSocket, "/run/docker.sock");
    if (o.varRunIsDir) a.push("--bind", o.dockerSocket, "/var/run/docker.sock");
  }
  if (o.hostRoot.some((e) => e.kind === "dir" && isWithin(o.dataDirReal, `/${e.name}`))) a.push("--tmpfs", o.dataDirReal);
  for (const m of [...o.layout.mounts].sort((x, y) => x.inside.length - y.inside.length)) {
    a.push("--bind", m.host, m.inside);
  }
  a.push("--chdir", o.cwd, "--");
  return a;
}
