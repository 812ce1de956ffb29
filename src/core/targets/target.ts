// Target: where files live and commands run, for the file system, terminals and tests. A sandbox
// (SandboxTarget, the toolbox API) or one compose service inside a Docker-in-Docker sandbox
// (ServiceTarget, the docker CLI through the sandbox). Paths are absolute POSIX paths in the target.
import type * as vscode from "vscode";

/** Mirrors vscode.FileType so core stays vscode-free. */
export const FileKind = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 } as const satisfies typeof vscode.FileType;

export interface RemoteStat {
  /** A FileKind value; links are File|SymbolicLink or Directory|SymbolicLink as VS Code expects. */
  type: number;
  size: number;
  /** ms since the epoch */
  mtime: number;
  ctime: number;
  /** Octal mode bits, e.g. 0o644. */
  mode?: number;
  owner?: string;
  group?: string;
  /** The current user cannot write it. */
  readonly: boolean;
}

export type TargetErrorCode = "notFound" | "exists" | "isDirectory" | "notDirectory" | "noPermissions" | "unavailable" | "other";

export class TargetError extends Error {
  constructor(
    readonly code: TargetErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "TargetError";
  }
}

/** By name, not instanceof: a TargetError may come from another bundle's copy of the class (tests). */
export function isTargetError(err: unknown, code: TargetErrorCode): err is TargetError {
  return err instanceof Error && err.name === "TargetError" && (err as TargetError).code === code;
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr merged (the toolbox merges them). */
  output: string;
}

export interface PtyOptions {
  id: string;
  cols: number;
  rows: number;
  cwd?: string;
  env?: Record<string, string>;
}

/** A live connection to a remote pseudo-terminal. */
export interface PtyConnection {
  send(data: string): Promise<void>;
  resize(cols: number, rows: number): Promise<void>;
  /** Ends the remote shell. */
  kill(): Promise<void>;
  /** Drops the connection, leaving the remote shell running (it can be reconnected by id). */
  disconnect(): Promise<void>;
  /** Resolves when the connection ends: with the exit code if the shell exited, undefined if the connection dropped. */
  closed(): Promise<{ exitCode?: number; reason?: string }>;
}

export interface Target {
  /** The URI authority that names this target, e.g. "<sandboxId>" or "<sandboxId>+<service>". */
  readonly key: string;
  readonly label: string;
  stat(path: string): Promise<RemoteStat>;
  list(path: string): Promise<Array<[string, RemoteStat]>>;
  /** `sizeHint` (from a listing) lets a large file be read into one buffer, without a second copy. */
  read(path: string, sizeHint?: number): Promise<Uint8Array>;
  /** Replaces (or creates) a file; keeps the mode of a file that existed when `keepMode` is given. */
  write(path: string, data: Uint8Array, keepMode?: number): Promise<void>;
  mkdir(path: string): Promise<void>;
  remove(path: string, recursive: boolean): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  copy(from: string, to: string): Promise<void>;
  exec(argv: string[], options?: { cwd?: string; timeoutSeconds?: number }): Promise<ExecResult>;
  homeDir(): Promise<string>;
  openPty(options: PtyOptions, onData: (data: Uint8Array) => void): Promise<PtyConnection>;
  reconnectPty(id: string, onData: (data: Uint8Array) => void): Promise<PtyConnection>;
}
