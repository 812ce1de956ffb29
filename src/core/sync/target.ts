// What sync needs from the place it syncs to. A sandbox (sandboxTarget.ts) implements it over the
// toolbox API; a compose service can implement it over the docker CLI inside its sandbox. Each call is
// one round trip, which is what the budget counts.
import type { Readable } from "node:stream";

export interface ExecResult {
  exitCode: number;
  output: string;
}

export interface SyncTarget {
  /** Stable identity (for example the sandbox id): keys the local manifest cache. */
  readonly id: string;
  /** Stream `source` to `remotePath` (parents created). Rejects when `signal` aborts. */
  upload(source: Readable, remotePath: string, signal?: AbortSignal): Promise<void>;
  /** Run one shell command line; stdout and stderr merged. */
  exec(command: string, cwd?: string): Promise<ExecResult>;
  /** A file's bytes, or undefined when it does not exist. */
  download(remotePath: string): Promise<Buffer | undefined>;
}

/** Wraps a target and counts its calls: each is one round trip. */
export class CountingTarget implements SyncTarget {
  roundTrips = 0;

  constructor(private readonly inner: SyncTarget) {}

  get id(): string {
    return this.inner.id;
  }

  upload(source: Readable, remotePath: string, signal?: AbortSignal): Promise<void> {
    this.roundTrips++;
    return this.inner.upload(source, remotePath, signal);
  }

  exec(command: string, cwd?: string): Promise<ExecResult> {
    this.roundTrips++;
    return this.inner.exec(command, cwd);
  }

  download(remotePath: string): Promise<Buffer | undefined> {
    this.roundTrips++;
    return this.inner.download(remotePath);
  }
}
