// Sessions: one long-lived shell each, commands run one after another in it (see sessionShell.ts).
import { randomUUID } from "node:crypto";
import type { Writable } from "node:stream";
import { ToolboxError, type SandboxProcess, type SandboxRuntime, type SandboxRuntimeInfo } from "../contract";
import type { UpgradeCtx } from "./index";
import { ignorePipeErrors } from "./http";
import { ENTRYPOINT_COMMAND, ENTRYPOINT_SESSION, EntrypointSession } from "./entrypoint";
import { inResolvedShell } from "./execute";
import { SentinelScanner, SESSION_DRIVER, commandMessage, newToken } from "./sessionShell";

export const STDOUT_MARK = Buffer.from([1, 1, 1]);
export const STDERR_MARK = Buffer.from([2, 2, 2]);
const MAX_COMMAND_LOG = 32 * 1024 * 1024;
const MAX_COMMANDS_KEPT = 1000;

type Stream = "stdout" | "stderr";

/**
 * One chunk as the daemon logs it: every line (and a trailing partial line) behind its stream's marker,
 * so `pwd; echo` logs "\x01\x01\x01/home/daytona\n\x01\x01\x01\n" however the pipe happened to split it.
 */
export function markChunk(c: { stream: Stream; data: Buffer }): Buffer {
  const mark = c.stream === "stdout" ? STDOUT_MARK : STDERR_MARK;
  const parts: Buffer[] = [];
  let start = 0;
  while (start < c.data.length) {
    const nl = c.data.indexOf(10, start);
    const end = nl < 0 ? c.data.length : nl + 1;
    parts.push(mark, c.data.subarray(start, end));
    start = end;
  }
  return Buffer.concat(parts);
}

export class SessionCommand {
  exitCode: number | undefined;
  readonly chunks: { stream: Stream; data: Buffer }[] = [];
  private size = 0;
  private readonly followers = new Set<(chunk: { stream: Stream; data: Buffer } | null) => void>();
  readonly done: Promise<void>;
  private finish!: () => void;

  constructor(
    readonly command: string,
    readonly id: string = randomUUID(),
  ) {
    this.done = new Promise((r) => (this.finish = r));
  }

  append(stream: Stream, data: Buffer): void {
    if (data.length === 0 || this.size >= MAX_COMMAND_LOG) return;
    const part = { stream, data: Buffer.from(data.subarray(0, MAX_COMMAND_LOG - this.size)) };
    this.size += part.data.length;
    this.chunks.push(part);
    for (const f of this.followers) f(part);
  }

  end(exitCode: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = exitCode;
    for (const f of this.followers) f(null);
    this.followers.clear();
    this.finish();
  }

  /** Calls `f` with every chunk so far and every later one; null once the command has ended. */
  follow(f: (chunk: { stream: Stream; data: Buffer } | null) => void): () => void {
    for (const c of this.chunks) f(c);
    if (this.exitCode !== undefined) {
      f(null);
      return () => undefined;
    }
    this.followers.add(f);
    return () => this.followers.delete(f);
  }

  text(stream: Stream): string {
    return Buffer.concat(this.chunks.filter((c) => c.stream === stream).map((c) => c.data)).toString("utf8");
  }

  /** Combined log with Daytona's stream markers kept (the SDK splits them). */
  marked(): string {
    return Buffer.concat(this.chunks.map(markChunk)).toString("utf8");
  }

  /** As the daemon's Command: exitCode is left out (not null) while the command runs. */
  toJSON() {
    return { id: this.id, command: this.command, ...(this.exitCode === undefined ? {} : { exitCode: this.exitCode }) };
  }
}

export class Session {
  readonly commands = new Map<string, SessionCommand>();
  private readonly queue: SessionCommand[] = [];
  private running: SessionCommand | undefined;
  private seen = { stdout: undefined as number | undefined, stderr: undefined as number | undefined };
  ended = false;
  private readonly scanners: Record<Stream, SentinelScanner>;

  constructor(
    readonly id: string,
    readonly sandboxId: string,
    private readonly proc: SandboxProcess,
  ) {
    // Until the first command, no frame can match (this token is never sent).
    const none = newToken();
    this.scanners = { stdout: new SentinelScanner(none), stderr: new SentinelScanner(none) };
    proc.stdout.on("data", (d: Buffer) => this.onData("stdout", d));
    proc.stderr.on("data", (d: Buffer) => this.onData("stderr", d));
    ignorePipeErrors(proc);
    void proc.exited.then((code) => this.onExit(code));
  }

  private onData(stream: Stream, chunk: Buffer): void {
    let input: Buffer | undefined = chunk;
    while (input && input.length) {
      const r = this.scanners[stream].push(input);
      this.running?.append(stream, r.data);
      input = r.rest;
      if (r.exitCode !== undefined) {
        this.seen[stream] = r.exitCode;
        if (this.seen.stdout !== undefined && this.seen.stderr !== undefined) {
          const cmd = this.running;
          this.running = undefined;
          cmd?.end(this.seen.stdout);
          this.seen = { stdout: undefined, stderr: undefined };
          this.next();
        }
      }
    }
  }

  private onExit(code: number): void {
    // Let the pipes deliver their last bytes before closing the books.
    setTimeout(() => {
      this.ended = true;
      for (const s of ["stdout", "stderr"] as const) this.running?.append(s, this.scanners[s].drain());
      this.running?.end(code);
      this.running = undefined;
      for (const q of this.queue.splice(0)) q.end(code);
    }, 20);
  }

  private next(): void {
    if (this.running || this.ended) return;
    const cmd = this.queue.shift();
    if (!cmd) return;
    this.running = cmd;
    const token = newToken();
    this.scanners.stdout.setToken(token);
    this.scanners.stderr.setToken(token);
    (this.proc.extra as Writable).write(commandMessage(token, cmd.command));
  }

  exec(command: string): SessionCommand {
    if (this.ended) throw new ToolboxError(410, "SESSION_ENDED", "session process has exited");
    const cmd = new SessionCommand(command);
    this.commands.set(cmd.id, cmd);
    if (this.commands.size > MAX_COMMANDS_KEPT) {
      const oldest = [...this.commands.values()].find((c) => c.exitCode !== undefined);
      if (oldest) this.commands.delete(oldest.id);
    }
    this.queue.push(cmd);
    this.next();
    return cmd;
  }

  input(cmdId: string, data: string): void {
    const cmd = this.command(cmdId);
    if (cmd.exitCode !== undefined || this.ended) throw new ToolboxError(410, "COMMAND_ALREADY_COMPLETED", `command ${cmdId} has already completed`);
    this.proc.stdin.write(data);
  }

  command(cmdId: string): SessionCommand {
    const cmd = this.commands.get(cmdId);
    if (!cmd) throw new ToolboxError(404, "PROCESS_NOT_FOUND", "command not found");
    return cmd;
  }

  kill(): void {
    this.ended = true;
    this.proc.kill("SIGKILL");
  }

  toJSON() {
    return { sessionId: this.id, commands: [...this.commands.values()].map((c) => c.toJSON()) };
  }
}

export class SessionManager {
  private readonly sessions = new Map<string, Map<string, Session>>();
  private readonly entrypoints = new Map<string, EntrypointSession>();
  private readonly starting = new Set<string>();

  constructor(private readonly runtime: SandboxRuntime) {}

  private of(sandboxId: string): Map<string, Session> {
    let m = this.sessions.get(sandboxId);
    if (!m) this.sessions.set(sandboxId, (m = new Map()));
    return m;
  }

  async create(info: SandboxRuntimeInfo, sessionId: string): Promise<Session> {
    if (!/^[A-Za-z0-9._:-]{1,128}$/.test(sessionId)) throw new ToolboxError(400, "BAD_REQUEST", "sessionId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
    const m = this.of(info.id);
    const key = `${info.id}/${sessionId}`;
    if (m.has(sessionId) || this.starting.has(key)) throw new ToolboxError(409, "CONFLICT", `session ${sessionId} already exists`);
    this.starting.add(key);
    try {
      // As the daemon: the session's shell is the sandbox's first of zsh, bash, sh (as for execute).
      const proc = await this.runtime.spawn(info, inResolvedShell(SESSION_DRIVER), { extraPipe: true });
      const s = new Session(sessionId, info.id, proc);
      m.set(sessionId, s);
      return s;
    } finally {
      this.starting.delete(key);
    }
  }

  get(sandboxId: string, sessionId: string): Session {
    const s = this.sessions.get(sandboxId)?.get(sessionId);
    if (!s) throw new ToolboxError(404, "PROCESS_NOT_FOUND", "session not found");
    return s;
  }

  /** The sandbox's entrypoint session, started the first time a started sandbox is served. */
  entrypoint(info: SandboxRuntimeInfo): EntrypointSession {
    let e = this.entrypoints.get(info.id);
    if (!e) this.entrypoints.set(info.id, (e = new EntrypointSession(this.runtime, info)));
    return e;
  }

  /** A command of a session, the entrypoint's included. */
  command(info: SandboxRuntimeInfo, sessionId: string, cmdId: string): SessionCommand {
    if (sessionId !== ENTRYPOINT_SESSION) return this.get(info.id, sessionId).command(cmdId);
    const cmd = this.entrypoint(info).command;
    if (cmd.id !== cmdId) throw new ToolboxError(404, "PROCESS_NOT_FOUND", "command not found");
    return cmd;
  }

  list(sandboxId: string): Session[] {
    return [...(this.sessions.get(sandboxId)?.values() ?? [])];
  }

  delete(sandboxId: string, sessionId: string): void {
    this.get(sandboxId, sessionId).kill();
    this.sessions.get(sandboxId)?.delete(sessionId);
  }

  /** WebSocket: `.../command/{cid}/logs?follow=true`, binary frames prefixed by stream markers. */
  follow(u: UpgradeCtx): void {
    const [sessionId, cmdId] = u.params.length ? u.params : [ENTRYPOINT_SESSION, ENTRYPOINT_COMMAND];
    let cmd: SessionCommand;
    try {
      cmd = this.command(u.info, sessionId, cmdId);
    } catch (e) {
      u.ws.close(1008, (e as Error).message.slice(0, 120));
      return;
    }
    const stop = cmd.follow((chunk) => {
      if (chunk === null) {
        u.ws.close(1000);
        return;
      }
      u.ws.send(markChunk(chunk), { binary: true });
    });
    u.ws.on("close", stop);
    u.ws.on("error", stop);
  }

  /** Ends the sandbox's sessions; its entrypoint process ends with the sandbox's processes (stop/delete). */
  closeSandbox(sandboxId: string): void {
    for (const s of this.list(sandboxId)) s.kill();
    this.sessions.delete(sandboxId);
    this.entrypoints.get(sandboxId)?.kill();
    this.entrypoints.delete(sandboxId);
  }

  closeAll(): void {
    for (const id of new Set([...this.sessions.keys(), ...this.entrypoints.keys()])) this.closeSandbox(id);
  }
}
