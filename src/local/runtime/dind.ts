// Docker-in-Docker sandboxes: the sandbox's docker CLI talks to a proxy of the engine (docker/proxy.ts)
// whose socket is in a per-sandbox host directory mounted read-only into the container (DOCKER_HOST
// points at it; a directory, not the socket file, so a proxy restarted by a server restart is seen).
// The proxy refuses whatever would reach the host (docker/guard.ts, docker/guardRules.ts, docker/binds.ts) and labels what
// the sandbox makes, so it is stopped with the sandbox, restarted with it and removed when it is deleted.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type Docker from "dockerode";
import { startDockerProxy, type DockerProxy } from "../docker/proxy";
import { createGuard } from "../docker/guard";
import { removeSandboxObjects, sandboxesWithObjects, SANDBOX_LABEL, startSandboxContainers, stopSandboxContainers } from "../docker/services";
import { containerName } from "./containers";
import { engineSocketPath } from "./engine";

/** Longest unix socket path we use (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 100;

export interface Dind {
  /** Start the sandbox's proxy (if not running); resolves with the host directory holding its socket. */
  open(id: string): Promise<string>;
  /** Rejoin the sandbox's networks and restart the containers its last stop stopped. */
  resume(id: string): Promise<void>;
  /** Close the proxy; then stop ("stop") or remove ("remove") what the sandbox made on the engine. */
  release(id: string, how: "stop" | "remove"): Promise<void>;
  /** Remove engine objects of this instance's sandboxes that are not in `known`. */
  reconcile(known: Set<string>): Promise<void>;
  /** Close every proxy (server shutdown); containers are handled by the runtime's close. */
  closeAll(): Promise<void>;
}

export function createDind(docker: Docker, dataDirReal: string, instance: string, log: (line: string) => void): Dind {
  const stateDir = path.join(dataDirReal, "docker");
  const socketRoot = path.join(stateDir, "x".repeat(36), "docker.sock").length <= MAX_SOCKET_PATH ? stateDir : path.join(os.tmpdir(), `daytona-docker-${createHash("sha256").update(dataDirReal).digest("hex").slice(0, 12)}`);
  const proxies = new Map<string, Promise<DockerProxy>>();
  const record = (id: string): string => path.join(stateDir, `${id}.stopped.json`);

  async function closeProxy(id: string): Promise<void> {
    const p = proxies.get(id);
    proxies.delete(id);
    if (p) await (await p.catch(() => undefined))?.close();
  }

  return {
    async open(id) {
      const dir = path.join(socketRoot, id);
      await fs.promises.mkdir(stateDir, { recursive: true, mode: 0o700 });
      await fs.promises.mkdir(dir, { recursive: true });
      // The sandbox's user (uid 1000) must reach the socket: the directory is 0755, the socket 0666,
      // and only this sandbox's container mounts this directory.
      await fs.promises.chmod(socketRoot, 0o755).catch(() => undefined);
      await fs.promises.chmod(dir, 0o755);
      if (!proxies.has(id)) {
        const guard = createGuard(docker, { sandboxId: id, instance, sandboxContainer: containerName(instance, id) });
        const p = startDockerProxy({ listenPath: path.join(dir, "docker.sock"), enginePath: engineSocketPath(), guard, log });
        proxies.set(id, p);
        p.catch(() => proxies.delete(id));
        await p;
      }
      return dir;
    },
    async resume(id) {
      // A container made again (start from archived) rejoins the networks of the sandbox's services.
      for (const n of await docker.listNetworks({ filters: { label: [`${SANDBOX_LABEL}=${id}`] } })) {
        await docker
          .getNetwork(n.Id)
          .connect({ Container: containerName(instance, id) })
          .catch(() => undefined);
      }
      // A service that cannot start (e.g. one binding folders of the container before an archive) is
      // reported, not a reason to fail the sandbox's own start.
      await startSandboxContainers(docker, id, record(id), containerName(instance, id)).catch((err: unknown) => log(`sandbox ${id}: ${err instanceof Error ? err.message : String(err)}`));
    },
    async release(id, how) {
      // A running DinD sandbox always has its proxy open (create and start open it): none, nothing to stop.
      const wasOpen = proxies.has(id);
      await closeProxy(id);
      if (how === "stop") {
        if (!wasOpen) return;
        await fs.promises.mkdir(stateDir, { recursive: true, mode: 0o700 });
        await stopSandboxContainers(docker, id, record(id));
      }
      else {
        await removeSandboxObjects(docker, id);
        await fs.promises.rm(record(id), { force: true });
        await fs.promises.rm(path.join(socketRoot, id), { recursive: true, force: true });
      }
    },
    async reconcile(known) {
      for (const id of await sandboxesWithObjects(docker, instance)) {
        if (known.has(id)) continue;
        log(`removing the docker objects of sandbox ${id}: no sandbox of this server owns them`);
        await removeSandboxObjects(docker, id).catch(() => undefined);
      }
    },
    async closeAll() {
      await Promise.allSettled([...proxies.keys()].map(closeProxy));
    },
  };
}

export { SANDBOX_LABEL };
