// Docker for DinD sandboxes: one proxy socket per running DinD sandbox (docker/proxy.ts), bound at
// /run/docker.sock inside it (so /var/run/docker.sock, the docker CLI's default, answers), and the
// stop / start / delete of the engine objects it made. There is no daemon inside the sandbox: it
// drives the host's engine, so `docker info` answers at once and dockerd-entrypoint.sh does not exist.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { SandboxRuntimeInfo } from "../contract";
import { engineSocketPath } from "../docker/engine";
import { startDockerProxy, type DockerProxy } from "../docker/proxy";
import { rewriteCreate, type TranslatePath } from "../docker/rewrite";
import { removeSandboxObjects, SANDBOX_LABEL, startSandboxContainers, stopSandboxContainers } from "../docker/services";

/** Longest unix socket path we use (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 100;

export interface DockerAccess {
  /** Host path of the sandbox's docker socket while its proxy runs. */
  socketFor(id: string): string | undefined;
  /** Start the sandbox's proxy and restart the containers its last stop stopped. */
  open(info: SandboxRuntimeInfo, translate: TranslatePath): Promise<void>;
  /** Close the proxy; then stop ("stop") or remove ("remove") what the sandbox made on the engine. */
  release(id: string, how: "stop" | "remove"): Promise<void>;
  /** Close every proxy (server shutdown); containers are left as they are. */
  closeAll(): Promise<void>;
}

export function createDockerAccess(dataDirReal: string, log: (line: string) => void = () => undefined): DockerAccess {
  const stateDir = path.join(dataDirReal, "docker");
  // Sockets live outside the sandbox directories (snapshots and forks copy those) and on a short path.
  const socketDir = path.join(stateDir, "x").length + 40 <= MAX_SOCKET_PATH
    ? stateDir
    : path.join(os.tmpdir(), `daytona-docker-${createHash("sha256").update(dataDirReal).digest("hex").slice(0, 12)}`);
  const proxies = new Map<string, Promise<DockerProxy>>();
  const record = (id: string): string => path.join(stateDir, `${id}.stopped.json`);

  async function closeProxy(id: string): Promise<void> {
    const p = proxies.get(id);
    proxies.delete(id);
    if (p) await (await p.catch(() => undefined))?.close();
  }

  return {
    socketFor(id) {
      const sock = path.join(socketDir, `${id}.sock`);
      return proxies.has(id) && fs.existsSync(sock) ? sock : undefined;
    },
    async open(info, translate) {
      await fs.promises.mkdir(stateDir, { recursive: true, mode: 0o700 });
      await fs.promises.mkdir(socketDir, { recursive: true, mode: 0o700 });
      if (!proxies.has(info.id)) {
        const p = startDockerProxy({
          listenPath: path.join(socketDir, `${info.id}.sock`),
          enginePath: engineSocketPath(),
          rewrite: (kind, body) => rewriteCreate(kind, body, info.id, translate),
          buildLabels: { [SANDBOX_LABEL]: info.id },
          log,
        });
        proxies.set(info.id, p);
        p.catch(() => proxies.delete(info.id));
        await p;
      }
      await startSandboxContainers(info.id, record(info.id));
    },
    async release(id, how) {
      await closeProxy(id);
      if (how === "stop") await stopSandboxContainers(id, record(id));
      else {
        await removeSandboxObjects(id);
        await fs.promises.rm(record(id), { force: true });
      }
    },
    async closeAll() {
      await Promise.allSettled([...proxies.keys()].map(closeProxy));
    },
  };
}
