// Fault-test helpers: a server restarted on the same data dir, port and token (with other faults), a
// remote tree read from the sandbox's container through the engine (so reading it is never itself hit
// by an injected fault).
import * as fs from "node:fs";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import Docker from "dockerode";
import * as tar from "tar";
import { containerName, instanceId } from "../../../src/local/runtime/containers";
import { startTestServer, type TestServer } from "../local/helpers";

export async function restart(ts: TestServer, faults: string): Promise<TestServer> {
  await ts.stopServer();
  // Behind a proxy, the proxy (the network) stays up and the server comes back on its own port.
  return startTestServer({ dataDir: ts.dataDir, port: ts.innerPort, token: ts.server.token, faults, proxy: ts.proxy });
}

/**
 * path -> content of every file under a sandbox's `remoteDir` (outside .daytona-sync), read from its
 * container through the engine's archive API, so reading it is never itself hit by an injected fault.
 * A missing folder is an empty tree.
 */
export async function remoteTree(dataDir: string, sandboxId: string, remoteDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const files = await remoteFiles(dataDir, sandboxId, remoteDir);
  for (const [rel, data] of Object.entries(files)) if (!rel.startsWith(".daytona-sync/")) out[rel] = data.toString("utf8");
  return out;
}

/** path -> bytes of every regular file under a sandbox's `remoteDir`, from its container. */
export async function remoteFiles(dataDir: string, sandboxId: string, remoteDir: string): Promise<Record<string, Buffer>> {
  const docker = new Docker({ socketPath: "/var/run/docker.sock" });
  const name = containerName(instanceId(fs.realpathSync(dataDir)), sandboxId);
  let archive: NodeJS.ReadableStream;
  try {
    archive = await docker.getContainer(name).getArchive({ path: remoteDir });
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return {};
    throw e;
  }
  const out: Record<string, Buffer> = {};
  const base = path.posix.basename(remoteDir);
  await pipeline(
    archive,
    new tar.Parser({
      onReadEntry: (entry) => {
        const chunks: Buffer[] = [];
        entry.on("data", (c: Buffer) => chunks.push(c));
        entry.on("end", () => {
          const rel = entry.path.replace(/\/$/, "").split("/").slice(1).join("/");
          if (entry.type === "File" && rel && entry.path.split("/")[0] === base) out[rel] = Buffer.concat(chunks);
        });
      },
    }),
  );
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
