// The seams inside the local server: the HTTP/API side (server.ts, api/, store/, build/) and the
// toolbox side (toolbox/, runtime/) meet only through these types.
import type { ChildProcess } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** The states Daytona reports; the local server uses the same words. */
export type SandboxState =
  | "creating"
  | "starting"
  | "started"
  | "stopping"
  | "stopped"
  | "archiving"
  | "archived"
  | "destroying"
  | "destroyed"
  | "error"
  | "build_failed"
  | "pending_build"
  | "building_snapshot"
  | "snapshotting";

/** What the runtime needs to know about one sandbox to run things in it. */
export interface SandboxRuntimeInfo {
  id: string;
  /** The OS user commands run as (Daytona's default is "daytona"). */
  user: string;
  /** Environment set on the sandbox at create time. */
  env: Record<string, string>;
  /** Cut the network off for everything run inside (bubblewrap --unshare-net). */
  networkBlockAll: boolean;
  /** A Docker-in-Docker sandbox: its commands get a docker socket (see runtime/docker.ts). */
  docker?: boolean;
  /** Volumes to mount, resolved by the API side through its VolumeStorage. */
  volumes?: VolumeMount[];
  /**
   * The image's ENTRYPOINT followed by its CMD, run by the toolbox as the "entrypoint" session (as
   * Daytona's daemon does); absent means Daytona's default, `sleep infinity`.
   */
  entrypoint?: string[];
}

/** One volume mounted into a sandbox. */
export interface VolumeMount {
  /** Absolute path inside the sandbox. */
  mountPath: string;
  /** Where the volume's data is, as VolumeStorage.source named it (today: a host directory). */
  source: string;
}

/**
 * Where volumes keep their data. Today a directory per volume under the data dir, bound into the
 * sandbox at its mount path; a container runtime can back the same interface with Docker volumes.
 */
export interface VolumeStorage {
  create(volumeId: string): Promise<void>;
  remove(volumeId: string): Promise<void>;
  /** The mount source for a volume, or a subpath inside it (the runtime creates it when missing). */
  source(volumeId: string, subpath?: string): string;
}

/** One resource-usage sample of a sandbox (the toolbox's SystemMetrics; bytes, percent). */
export interface SandboxMetrics {
  cpuCount: number;
  /** Percent of the sandbox's CPU limit used since the previous sample (0 for the first). */
  cpuUsedPct: number;
  memTotal: number;
  memUsed: number;
  memCache: number;
  diskTotal: number;
  diskUsed: number;
}

/** The limits metrics are reported against (from the sandbox record, GiB). */
export interface SandboxLimits {
  cpu: number;
  memoryGiB: number;
  diskGiB: number;
}

/** Options for one process started inside a sandbox. */
export interface SpawnOptions {
  /** Working directory as seen inside the sandbox (for example /home/daytona/app). */
  cwd?: string;
  env?: Record<string, string>;
  /** Run attached to a pseudo-terminal of this size. */
  pty?: { cols: number; rows: number };
  /** Added by the toolbox side (optional): also open fd 3 as a pipe from the server (child.stdio[3]). */
  extraPipe?: boolean;
}

/** A process running inside a sandbox. Kill kills its whole process tree. */
export interface SandboxProcess {
  readonly child: ChildProcess;
  /** Resize the pseudo-terminal (only for processes spawned with `pty`). */
  resize(cols: number, rows: number): void;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves with the exit code (128+signal when killed by a signal). */
  readonly exited: Promise<number>;
}

/** Where sandboxes live on the host and how things run in them (implemented in runtime/). */
export interface SandboxRuntime {
  /** True when commands run under bubblewrap; false means plain child processes (less isolation). */
  readonly isolated: boolean;
  /** Create the sandbox's directories (home, tmp, ...) if missing. */
  prepare(info: SandboxRuntimeInfo): Promise<void>;
  /** The host directory that holds everything of this sandbox (copied for snapshots and forks). */
  hostDir(id: string): string;
  /** The user's home directory as seen inside the sandbox. */
  homeDir(info: SandboxRuntimeInfo): string;
  /**
   * Map a path as seen inside the sandbox to the host path, refusing anything that would leave the
   * sandbox's own directories for a write (throws a ToolboxError with code FORBIDDEN or BAD_REQUEST).
   */
  resolvePath(info: SandboxRuntimeInfo, sandboxPath: string, access: "read" | "write"): string;
  /** Start a process inside the sandbox: argv[0] is looked up on the sandbox's PATH. */
  spawn(info: SandboxRuntimeInfo, argv: string[], options?: SpawnOptions): SandboxProcess;
  /** Kill every process of the sandbox (stop, delete, server shutdown). */
  killAll(id: string): Promise<void>;
  /** Current resource usage of a sandbox against its limits. */
  metrics(info: SandboxRuntimeInfo, limits: SandboxLimits): Promise<SandboxMetrics>;
  /**
   * DinD sandboxes: close the sandbox's docker socket, then stop ("stop") or remove ("remove") the
   * containers, networks and volumes it made on the engine. `prepare` restarts what "stop" stopped.
   */
  releaseDocker?(id: string, how: "stop" | "remove"): Promise<void>;
  /**
   * Where the preview proxy may reach `port` of this sandbox, or undefined when nothing of the
   * sandbox's own listens there. Never a host service: the proxy refuses when this is missing.
   */
  previewAddress?(id: string, port: number): Promise<{ host: string; port: number } | undefined>;
  /** Server shutdown: close what the runtime holds open (docker sockets); sandboxes' engine objects stay. */
  close?(): Promise<void>;
}

/** An error the toolbox answers with: Daytona's JSON body {statusCode, message, code, source}. */
export class ToolboxError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the API side gives the toolbox. */
export interface ToolboxHost {
  /** The sandbox if it exists; the toolbox answers 409 unless its state is "started". */
  getSandbox(id: string): { info: SandboxRuntimeInfo; state: SandboxState } | undefined;
  runtime: SandboxRuntime;
  /** Called on any toolbox activity (for last-activity / auto-stop bookkeeping). */
  touch?(id: string): void;
}

/** The toolbox, mounted by server.ts under /toolbox/<sandboxId>/... */
export interface Toolbox {
  /** `subpath` is what follows /toolbox/<sandboxId>, with its query string (for example "/files?path=/tmp"). */
  handle(req: IncomingMessage, res: ServerResponse, sandboxId: string, subpath: string): Promise<void>;
  /** WebSocket upgrades (PTY, session log follow). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, sandboxId: string, subpath: string): void;
  /** Drop sessions and PTYs of a sandbox that stopped or was deleted. */
  closeSandbox(id: string): void;
  close(): Promise<void>;
}
