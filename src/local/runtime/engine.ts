// The connection to the host's Docker engine (dockerode over its unix socket) and the shared network.
// Without a reachable engine, or without the sandbox images, the server does not start: it says
// what to install or start. There is no fallback to unisolated host processes.
import Docker from "dockerode";
import { NETWORK_LABEL, SANDBOX_NETWORK } from "./containers";

/** The engine's socket: DOCKER_HOST when it is unix://..., else /var/run/docker.sock. */
export function engineSocketPath(): string {
  const h = process.env.DOCKER_HOST;
  return h?.startsWith("unix://") ? h.slice("unix://".length) : "/var/run/docker.sock";
}

export class EngineUnavailableError extends Error {}

export function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: number } | undefined)?.statusCode === 404;
}

const HOW_TO = "Local sandboxes are containers on a Docker engine: install and start one with `sudo bash scripts/setup-docker.sh` (Debian's docker.io), then build the sandbox images with `sudo bash scripts/setup-images.sh`";

export async function connectEngine(images: string[]): Promise<{ docker: Docker; description: string; hostCpus: number }> {
  const socketPath = engineSocketPath();
  const docker = new Docker({ socketPath, timeout: 0 });
  let info: { ServerVersion?: string; Driver?: string; NCPU?: number };
  try {
    await Promise.race([docker.ping(), new Promise((_r, reject) => setTimeout(() => reject(new Error("no answer in 5 s")), 5000).unref())]);
    info = (await docker.info()) as typeof info;
  } catch (e) {
    throw new EngineUnavailableError(`No Docker engine answers at ${socketPath} (${e instanceof Error ? e.message : String(e)}). ${HOW_TO}.`);
  }
  for (const image of images) {
    try {
      await docker.getImage(image).inspect();
    } catch {
      throw new EngineUnavailableError(`The Docker engine has no image ${image}. ${HOW_TO}.`);
    }
  }
  return { docker, description: `docker ${info.ServerVersion ?? "?"} (${info.Driver ?? "?"})`, hostCpus: info.NCPU ?? 1 };
}

/**
 * The bridge every sandbox joins (one for all local servers: each bridge network takes an address
 * pool, of which the engine has about 30). Inter-container traffic is off on it, so a sandbox
 * reaches neither another sandbox's ports nor, being on a bridge, the host's loopback.
 */
export async function ensureNetwork(docker: Docker): Promise<void> {
  const found = await docker.listNetworks({ filters: { name: [SANDBOX_NETWORK] } });
  if (found.some((n) => n.Name === SANDBOX_NETWORK)) return;
  await docker
    .createNetwork({
      Name: SANDBOX_NETWORK,
      Driver: "bridge",
      CheckDuplicate: true,
      Labels: { [NETWORK_LABEL]: "shared" },
      Options: { "com.docker.network.bridge.enable_icc": "false" },
    })
    .catch((e: unknown) => {
      if ((e as { statusCode?: number }).statusCode !== 409) throw e;
    });
}
