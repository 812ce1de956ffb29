// SyncTarget over an SDK Sandbox: one toolbox request per call. Only types come from the SDK, so this
// module does not load it.
import type { Sandbox } from "@daytonaio/sdk";
import type { Readable } from "node:stream";
import type { ExecResult, SyncTarget } from "./target";

export type SandboxLike = Pick<Sandbox, "id"> & {
  fs: Pick<Sandbox["fs"], "uploadFileStream" | "downloadFile">;
  process: Pick<Sandbox["process"], "executeCommand">;
};

export interface SandboxTargetOptions {
  /** Seconds the apply command may run in the sandbox; 0 (the default) means no server-side limit. */
  execTimeoutSec?: number;
}

function isNotFound(e: unknown): boolean {
  const err = e as { statusCode?: unknown; code?: unknown } | undefined;
  return err?.statusCode === 404 || err?.code === "FILE_NOT_FOUND";
}

export function sandboxTarget(sandbox: SandboxLike, opts: SandboxTargetOptions = {}): SyncTarget {
  return {
    id: sandbox.id,
    async upload(source: Readable, remotePath: string, signal?: AbortSignal): Promise<void> {
      // uploadFileStream sends chunked multipart straight from the stream: nothing is held in memory.
      await sandbox.fs.uploadFileStream(source, remotePath, { signal });
    },
    async exec(command: string, cwd?: string): Promise<ExecResult> {
      const r = await sandbox.process.executeCommand(command, cwd, undefined, opts.execTimeoutSec ?? 0);
      return { exitCode: r.exitCode, output: r.result };
    },
    async download(remotePath: string): Promise<Buffer | undefined> {
      try {
        return await sandbox.fs.downloadFile(remotePath);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
  };
}
