// What a sandbox's container is (pure: tested as data) and the names and labels of everything the
// twin makes on the engine. Every object carries the instance label (derived from the server's data
// dir) so several local servers on one engine never touch each other's containers.
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import type { SandboxRuntimeInfo } from "../contract";

export const SANDBOX_LABEL = "io.daytona.local.sandbox";
export const INSTANCE_LABEL = "io.daytona.local.instance";
/** On images: what made them (snapshot, fork, archive, build) and for which id. */
export const KIND_LABEL = "io.daytona.local.kind";
export const OWNER_LABEL = "io.daytona.local.owner";
/** On committed images: upload files that were half-written at the commit, removed from containers of it. */
export const PARTIAL_LABEL = "io.daytona.local.partial-uploads";
/** Warm-pool containers carry this instead of a sandbox id until a sandbox claims them. */
export const POOL_LABEL = "io.daytona.local.pool";

/** The network every sandbox of every instance joins: a bridge with inter-container traffic off. */
export const SANDBOX_NETWORK = "daytona-local-sandboxes";
export const NETWORK_LABEL = "io.daytona.local.network";

/** Processes per sandbox: a fork bomb stops here. */
export const PIDS_LIMIT = 2048;

export function instanceId(dataDirReal: string): string {
  return createHash("sha256").update(dataDirReal).digest("hex").slice(0, 12);
}

export function containerName(instance: string, sandboxId: string): string {
  return `daytona-${instance}-${sandboxId}`;
}

/** Image repository for everything one instance commits or builds: tag = <kind>-<owner id>. */
export function imageRef(instance: string, kind: string, ownerId: string): { repo: string; tag: string; name: string } {
  const repo = `daytona-local/i-${instance}`;
  const tag = `${kind}-${ownerId}`.toLowerCase().replace(/[^a-z0-9_.-]/g, "-").slice(0, 128);
  return { repo, tag, name: `${repo}:${tag}` };
}

export function homeOf(user: string): string {
  return user === "root" ? "/root" : `/home/${user}`;
}

export interface ContainerSpecOptions {
  instance: string;
  image: string;
  /** Host cores the engine has: a cpu request above it is capped there. */
  hostCpus: number;
  /** DinD: the host directory holding the sandbox's docker proxy socket, mounted read-only. */
  dockerSocketDir?: string;
  /** Create as a warm-pool container (no sandbox yet). */
  pool?: string;
}

export const DIND_SOCKET_DIR = "/run/daytona-docker";

/**
 * The engine's create body for a sandbox. Never privileged; the engine's default capabilities and
 * seccomp profile (sudo inside needs setuid, so no no-new-privileges); cpu, memory (no swap on top)
 * and pids limits; its own network namespace on the shared no-ICC bridge, or none at all.
 */
export function containerSpec(info: SandboxRuntimeInfo, o: ContainerSpecOptions): Docker.ContainerCreateOptions {
  const r = info.resources ?? { cpu: 1, memory: 1, disk: 3 };
  const memory = Math.max(64 * 1024 * 1024, Math.round(r.memory * 1024 ** 3));
  const cpus = Math.min(Math.max(0.1, r.cpu), Math.max(1, o.hostCpus));
  const labels: Record<string, string> = { [INSTANCE_LABEL]: o.instance };
  if (o.pool) labels[POOL_LABEL] = o.pool;
  else labels[SANDBOX_LABEL] = info.id;
  const env = Object.entries(info.env).map(([k, v]) => `${k}=${v}`);
  const binds: string[] = [];
  // Volumes: the twin's own directory for each (api/volumeStorage.ts), bound at the mount path. A
  // symlink a sandbox leaves in a volume resolves inside whichever container reads it, never on the host.
  for (const v of info.volumes ?? []) binds.push(`${v.source}:${v.mountPath}`);
  if (o.dockerSocketDir) {
    binds.push(`${o.dockerSocketDir}:${DIND_SOCKET_DIR}:ro`);
    env.push(`DOCKER_HOST=unix://${DIND_SOCKET_DIR}/docker.sock`);
  }
  return {
    name: o.pool ? undefined : containerName(o.instance, info.id),
    Image: o.image,
    Hostname: "sandbox",
    // The image's CMD/ENTRYPOINT are recorded, not run: a sandbox idles until the toolbox runs
    // something. Idling is reading stdin, which the server holds open (watchdog.ts): when the server
    // dies, even by kill -9, stdin closes and the container stops, so no orphan keeps running.
    Entrypoint: ["/bin/sh", "-c", "exec cat >/dev/null"],
    Cmd: [],
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    User: "root",
    WorkingDir: homeOf(info.user),
    Env: env,
    Labels: labels,
    HostConfig: {
      Init: true,
      Privileged: false,
      NanoCpus: Math.round(cpus * 1e9),
      Memory: memory,
      MemorySwap: memory,
      PidsLimit: PIDS_LIMIT,
      NetworkMode: info.networkBlockAll ? "none" : SANDBOX_NETWORK,
      Binds: binds.length ? binds : undefined,
      RestartPolicy: { Name: "no" },
      LogConfig: { Type: "none", Config: {} },
    },
  };
}
