// Runs one command in a sandbox as a session command: output streams as it comes, the exit code is
// read at the end, and cancelling deletes the session, which kills its processes. vscode-free.
import { randomBytes } from "node:crypto";
import type { SdkSandbox } from "../core/daytona/client";
import { shellQuote } from "../core/shell/quote";

export interface SessionRunOptions {
  /** A shell command line (built from argument vectors by core/testing). */
  command: string;
  /** Folder to run it in. */
  cwd: string;
  onStdout(chunk: string): void;
  onStderr(chunk: string): void;
  signal?: AbortSignal;
}

export interface SessionRunResult {
  exitCode: number | undefined;
  cancelled: boolean;
  sessionId: string;
}

export async function runSessionCommand(sdk: SdkSandbox, o: SessionRunOptions): Promise<SessionRunResult> {
  const sessionId = `daytona-tests-${randomBytes(6).toString("hex")}`;
  o.signal?.throwIfAborted();
  await sdk.process.createSession(sessionId);
  let deleted: Promise<void> | undefined;
  const remove = () => (deleted ??= sdk.process.deleteSession(sessionId).catch(() => undefined));
  const onAbort = () => void remove();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (o.signal?.aborted) return { exitCode: undefined, cancelled: true, sessionId };
    const started = await sdk.process.executeSessionCommand(sessionId, { command: `cd ${shellQuote(o.cwd)} && ${o.command}`, runAsync: true });
    const cmdId = started.cmdId;
    if (!cmdId) throw new Error("the sandbox did not return a command id");
    if (o.signal?.aborted) return { exitCode: undefined, cancelled: true, sessionId };
    // Resolves when the command ends (or its session is deleted by a cancel).
    await sdk.process.getSessionCommandLogs(sessionId, cmdId, o.onStdout, o.onStderr).catch((err: unknown) => {
      if (!o.signal?.aborted) throw err;
    });
    if (o.signal?.aborted) return { exitCode: undefined, cancelled: true, sessionId };
    const cmd = await sdk.process.getSessionCommand(sessionId, cmdId);
    return { exitCode: cmd.exitCode ?? undefined, cancelled: false, sessionId };
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    await remove();
  }
}
