// Which process owns a listening TCP port, from /proc: the preview proxy may only reach ports that a
// process of the sandbox itself listens on (sandboxes of this runtime share the host's network, so
// 127.0.0.1:<port> alone could be any host service).
import * as fs from "node:fs";
import { engineRequest } from "../docker/engine";
import { SANDBOX_LABEL } from "../docker/services";

/** Socket inodes listening on `port` (any local address) in the server's network namespace. */
export function listeningInodes(port: number): Set<string> {
  const out = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = fs.readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st ... inode (field 9); st 0A = LISTEN.
      if (f.length > 9 && f[3] === "0A" && f[1].endsWith(`:${hexPort}`)) out.add(f[9]);
    }
  }
  return out;
}

/** True when one of `pids` holds one of the socket `inodes` open. */
export function heldBy(pids: number[], inodes: Set<string>): boolean {
  if (inodes.size === 0) return false;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1])) return true;
    }
  }
  return false;
}

/** True when a container the sandbox made on the host engine publishes `port` on the host. */
export async function publishedBySandbox(sandboxId: string, port: number): Promise<boolean> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${SANDBOX_LABEL}=${sandboxId}`] }));
  try {
    const a = await engineRequest("GET", `/containers/json?filters=${filters}`);
    if (a.status !== 200 || !Array.isArray(a.body)) return false;
    return (a.body as Array<{ Ports?: Array<{ PublicPort?: number }> }>).some((c) => c.Ports?.some((p) => p.PublicPort === port));
  } catch {
    return false;
  }
}
