// The seams inside the local server: the HTTP/API side (server.ts, api/, store/, build/) and the
// toolbox side (toolbox/, runtime/) meet only through these types.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex, Readable, Writable } from "node:stream";

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
  /** No network at all for everything inside (the container gets network mode "none"). */
  networkBlockAll: boolean;
  /** A Docker-in-Docker sandbox: its docker CLI reaches a labelled proxy of the engine (see runtime/dind.ts). */
  docker?: boolean;
  /** Volumes to mount, resolved by the API side through its VolumeStorage. */
  volumes?: VolumeMount[];
  /**
   * The image's ENTRYPOINT followed by its CMD, run by the toolbox as the "entrypoint" session (as
   * Daytona's daemon does); absent means Daytona's default, `sleep infinity`.
   */
  entrypoint?: string[];
  /** Limits: cpu cores, memory and disk in GiB (disk: see the README for what enforces it). */
  resources?: { cpu: number; memory: number; disk: number };
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
  /** Working directory as seen inside the sandbox (for example /home/daytona/app); default the home. */
  cwd?: string;
  env?: Record<string, string>;
  /** Run attached to a pseudo-terminal of this size. */
  pty?: { cols: number; rows: number };
  /** Also give the process an fd 3 to read from, written through SandboxProcess.extra. */
  extraPipe?: boolean;
  /** Run as this user instead of the sandbox's (the twin's own housekeeping only, e.g. "root" for chown). */
  user?: string;
}

/** A process running inside a sandbox. Kill kills its whole process tree (inside the sandbox). */
export interface SandboxProcess {
  readonly stdin: Writable;
  /** With a PTY, stdout carries everything (the terminal merges the streams) and stderr stays empty. */
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** The writing end of the process's fd 3 (only with `extraPipe`). */
  readonly extra?: Writable;
  /** Resize the pseudo-terminal (only for processes spawned with `pty`); resolves once applied. */
  resize(cols: number, rows: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
  /**
   * Resolves with the exit code (128+signal when killed by a signal). It can resolve before stdout and
   * stderr have delivered their last bytes (they are buffered, not lost): read output to its end.
   */
  readonly exited: Promise<number>;
}

/** One token of a shell-style glob over a file name (toolbox/glob.ts parses; the agent matches). */
export type GlobToken = { kind: "star" } | { kind: "any" } | { kind: "char"; c: string } | { kind: "class"; negate: boolean; ranges: Array<[string, string]> };

/** One directory entry or file as the sandbox's kernel reports it (lstat for listings, stat for info). */
export interface SandboxStat {
  name: string;
  /** Absolute in-sandbox path. */
  path: string;
  isDir: boolean;
  size: number;
  mtimeMs: number;
  /** st_mode (type and permission bits). */
  mode: number;
  owner: string;
  group: string;
}

/**
 * File operations, done inside the sandbox as its user (the kernel confines them: no host path is
 * ever touched). Relative paths are taken from the user's home. Failures reject with an Error whose
 * `code` is the errno name (ENOENT, EACCES, ...) so callers map them like node's fs errors.
 */
export interface SandboxFiles {
  list(path: string, depth: number): Promise<SandboxStat[]>;
  stat(path: string): Promise<SandboxStat>;
  mkdir(path: string, mode: number): Promise<void>;
  remove(path: string, recursive: boolean): Promise<void>;
  move(source: string, destination: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  /** A regular file's bytes; `size` is what the stream will carry (exactly). */
  read(path: string): Promise<{ stat: SandboxStat; stream: Readable }>;
  /** Written to a hidden sibling first and renamed into place once whole; a cut stream leaves nothing. */
  write(path: string, data: Readable, mode?: number): Promise<void>;
  /**
   * A bulk upload: each file is staged whole (`stage` resolves with a handle once its bytes are in),
   * then `commit` moves all of them into place in order, or `discard` drops them. Staged files never
   * show at their destination, and vanish if the server goes away.
   */
  stage(path: string, data: Readable): Promise<number>;
  commit(handles: number[]): Promise<void>;
  discard(handles: number[]): Promise<void>;
  /** Lines containing `pattern` (literal) in regular files under `path`. */
  find(path: string, pattern: string, limit: number): Promise<{ file: string; line: number; content: string }[]>;
  /** Paths under `path` whose base name matches `nameRegExp` (a RegExp source). */
  search(path: string, glob: GlobToken[], limit: number): Promise<string[]>;
  replace(files: string[], pattern: string, newValue: string): Promise<{ file: string; success: boolean; error?: string }[]>;
  /** TCP ports in LISTEN state in the sandbox's own network namespace. */
  listeningPorts(): Promise<number[]>;
}

/** An engine image the runtime made (snapshot, fork, archive, build), with its size in bytes. */
export interface ImageInfo {
  image: string;
  sizeBytes: number;
  /** A build's image config: its ENTRYPOINT and CMD (run by the toolbox as the entrypoint session). */
  entrypoint?: string[];
  cmd?: string[];
}

/** A Dockerfile build on the engine: the context as a tar stream, the log line by line. */
export interface BuildRequest {
  /** Owner id put on the image's labels (sandbox or snapshot id). */
  ownerId: string;
  dockerfile: string;
  context: Readable;
  log(line: string): void;
  signal?: AbortSignal;
}

/** How sandboxes run (implemented in runtime/: containers on a Docker engine). */
export interface SandboxRuntime {
  /** A short description for logs ("docker 20.10.24 (overlay2)"). */
  readonly description: string;
  /** The engine image of a default snapshot. */
  readonly baseImage: string;
  /** The DinD image (docker CLI + compose inside). */
  readonly dindImage: string;
  /** Create and start the sandbox's container from `image`. */
  create(info: SandboxRuntimeInfo, image: string): Promise<void>;
  /** Start the sandbox's existing container (after a stop or a server restart). */
  start(info: SandboxRuntimeInfo): Promise<void>;
  /** Stop the container (its processes end; files stay). */
  stop(id: string): Promise<void>;
  /** Remove the container and what only it used (its DinD objects included). */
  remove(id: string): Promise<void>;
  /** "running", "stopped" or "missing" (no container). */
  status(id: string): Promise<"running" | "stopped" | "missing">;
  /** Commit the container to a new image named for `kind` and `ownerId` (snapshot id, fork id, ...). */
  commit(id: string, kind: "snapshot" | "fork" | "archive", ownerId: string): Promise<ImageInfo>;
  /**
   * Archive a stopped sandbox: its files go to an archive file in the server's data dir (what it
   * changed on top of its image), its container and the commit leave the engine.
   */
  archive(id: string): Promise<{ file: string; sizeBytes: number }>;
  /** Start-from-archived: load the archive file, make the container of it, delete the file. */
  restore(info: SandboxRuntimeInfo): Promise<void>;
  /** Whether the sandbox has a (complete) archive file. */
  hasArchive(id: string): Promise<boolean>;
  /** Build a Dockerfile into an image owned by `req.ownerId`. */
  build(req: BuildRequest): Promise<ImageInfo>;
  imageExists(image: string): Promise<boolean>;
  /** Remove an image the runtime made (an image still used by a container stays). */
  removeImage(image: string): Promise<void>;
  /** The sandbox's address on its network; undefined without a network. */
  address(id: string): Promise<string | undefined>;
  /**
   * A TCP connection to `port` in the sandbox (preview URLs): to its address when something listens
   * there, else relayed from inside (a server bound to the sandbox's 127.0.0.1, or no network).
   */
  connect(info: SandboxRuntimeInfo, port: number): Promise<Duplex>;
  /** The user's home directory as seen inside the sandbox. */
  homeDir(info: SandboxRuntimeInfo): string;
  /** Start a process inside the sandbox: argv[0] is looked up on the sandbox's PATH. */
  spawn(info: SandboxRuntimeInfo, argv: string[], options?: SpawnOptions): Promise<SandboxProcess>;
  files(info: SandboxRuntimeInfo): SandboxFiles;
  /** Kill every process the toolbox started in the sandbox. */
  killAll(id: string): Promise<void>;
  /** Current resource usage of a sandbox against its limits. */
  metrics(info: SandboxRuntimeInfo, limits: SandboxLimits): Promise<SandboxMetrics>;
  /**
   * Start-up: remove containers of this instance whose sandbox is not in `known` (orphans of an earlier
   * run), half-written archive files, and archive files of unknown sandboxes or of sandboxes that have
   * a container (an archive or a start from archived that a kill interrupted: the container is the truth).
   */
  reconcile(known: Set<string>): Promise<void>;
  /**
   * Remove everything this server instance has on the engine (containers, images, networks, volumes)
   * and its archive files: for throw-away data dirs (tests). Other instances' objects stay.
   */
  purgeInstance(): Promise<{ containers: number; images: number; networks: number; volumes: number }>;
  /** Server shutdown: stop the containers it started, close what it holds open. */
  close(): Promise<void>;
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
