// Fault-test helpers: a server restarted on the same data dir, port and token (with other faults), a
// remote tree read from the server's disk (so reading it is never itself hit by an injected fault).
import * as fs from "node:fs";
import * as path from "node:path";
import { startTestServer, type TestServer } from "../local/helpers";

export async function restart(ts: TestServer, faults: string): Promise<TestServer> {
  await ts.stopServer();
  // Behind a proxy, the proxy (the network) stays up and the server comes back on its own port.
  return startTestServer({ dataDir: ts.dataDir, port: ts.innerPort, token: ts.server.token, faults, proxy: ts.proxy });
}

/** The folder on the server's disk that holds a sandbox's `remoteDir` (found by its unique last name). */
export function hostDirOf(dataDir: string, sandboxId: string, remoteDir: string): string {
  const root = path.join(dataDir, "sandboxes", sandboxId);
  const name = path.posix.basename(remoteDir);
  const found: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 6) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory() || e.isSymbolicLink()) continue;
      const p = path.join(d, e.name);
      if (e.name === name) found.push(p);
      else walk(p, depth + 1);
    }
  };
  walk(root, 0);
  if (found.length !== 1) throw new Error(`expected one ${name} under ${root}, found ${found.length}`);
  return found[0];
}

/** path -> content of every file under dir (outside .daytona-sync). */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (rel === "" && e.name === ".daytona-sync") continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else if (e.isFile()) out[r] = fs.readFileSync(path.join(d, e.name), "utf8");
    }
  };
  if (fs.existsSync(dir)) walk(dir, "");
  return out;
}

export function writeTree(dir: string, files: Record<string, string | null>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    if (content === null) fs.rmSync(p, { force: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
}

/** Requests counted by the server whose key (method + route) matches. */
export function countRoutes(byRoute: Record<string, number>, match: RegExp): number {
  return Object.entries(byRoute)
    .filter(([k]) => match.test(k))
    .reduce((n, [, v]) => n + v, 0);
}
