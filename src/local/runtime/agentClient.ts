// The server's side of the toolbox agent (agentSource.ts): frames requests onto the agent's stdin,
// matches answers by request id, and turns download/upload byte frames into node streams.
import * as os from "node:os";
import { PassThrough, Writable, type Readable } from "node:stream";
import type { GlobToken, SandboxFiles, SandboxProcess, SandboxStat } from "../contract";

const ANSWER = 1;
const DATA = 2;
const END = 3;
const ABORT = 4;
const STDIN = 5;
const STDIN_END = 6;
const FD3 = 7;
const FD3_END = 8;
const STDOUT = 6;
const STDERR = 7;
const EXIT = 8;

interface Child {
  stdout: PassThrough;
  stderr: PassThrough;
  exit(code: number): void;
}
/** Upload bytes are sent in frames of at most this size. */
const CHUNK = 256 * 1024;

interface Waiter {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** An Error carrying the errno name the agent reported, like node's fs errors. */
export function agentError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

function frame(type: number, id: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt32BE(payload.length + 5, 0);
  head.writeUInt8(type, 4);
  head.writeUInt32BE(id, 5);
  return Buffer.concat([head, payload]);
}

export class AgentClient implements SandboxFiles {
  private nextId = 1;
  private readonly waiters = new Map<number, Waiter>();
  private readonly downloads = new Map<number, PassThrough>();
  private readonly children = new Map<number, Child>();
  /** Received bytes not yet parsed, and how many the next frame needs in all before it can be. */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private needed = 0;
  private dead: Error | undefined;

  constructor(private readonly proc: SandboxProcess) {
    proc.stdout.on("data", (c: Buffer) => this.onData(c));
    const stderr: Buffer[] = [];
    proc.stderr.on("data", (c: Buffer) => stderr.length < 64 && stderr.push(c));
    proc.stdin.on("error", () => undefined);
    void proc.exited.then((code) => {
      const why = Buffer.concat(stderr).toString("utf8").trim().slice(0, 500);
      // 126/127: the engine could not run node at all (an image without it).
      this.dead =
        code === 126 || code === 127
          ? agentError("ENOAGENT", `file operations need node in the sandbox's image (the toolbox agent runs on it)${why ? `: ${why}` : ""}`)
          : agentError("EIO", `the sandbox's toolbox agent ended (exit ${code})${why ? `: ${why}` : ""}`);
      for (const w of this.waiters.values()) w.reject(this.dead);
      this.waiters.clear();
      for (const d of this.downloads.values()) d.destroy(this.dead);
      this.downloads.clear();
      for (const c of this.children.values()) c.exit(137);
      this.children.clear();
    });
  }

  get alive(): boolean {
    return !this.dead;
  }

  kill(): void {
    this.proc.kill("SIGKILL");
  }

  private onData(chunk: Buffer): void {
    // Chunks are only joined once a whole frame has arrived: joining on every chunk copied a 1.6 MB
    // listing answer about 25 times (64 KiB pipe reads), 17 ms of this thread for a 10,000-entry folder.
    this.parts.push(chunk);
    this.partsBytes += chunk.length;
    if (this.partsBytes < this.needed) return;
    let pending = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partsBytes);
    this.parts = [];
    this.partsBytes = 0;
    this.needed = 0;
    while (pending.length >= 4) {
      const len = pending.readUInt32BE(0);
      if (pending.length < 4 + len) {
        this.needed = 4 + len;
        break;
      }
      const type = pending.readUInt8(4);
      const id = pending.readUInt32BE(5);
      const payload = Buffer.from(pending.subarray(9, 4 + len));
      pending = pending.subarray(4 + len);
      if (type === ANSWER) {
        const w = this.waiters.get(id);
        this.waiters.delete(id);
        if (!w) continue;
        const a = JSON.parse(payload.toString("utf8")) as { ok: boolean; result?: unknown; code?: string; message?: string };
        if (a.ok) w.resolve(a.result);
        else w.reject(agentError(a.code ?? "EIO", a.message ?? "failed"));
      } else if (type === STDOUT || type === STDERR || type === EXIT) {
        const c = this.children.get(id);
        if (!c) continue;
        if (type === STDOUT) c.stdout.write(payload);
        else if (type === STDERR) c.stderr.write(payload);
        else {
          this.children.delete(id);
          const e = JSON.parse(payload.toString("utf8")) as { code: number | null; signal: string | null };
          c.exit(e.code ?? 128 + (e.signal ? (os.constants.signals[e.signal as NodeJS.Signals] ?? 9) : 9));
        }
      } else if (type === DATA) {
        this.downloads.get(id)?.write(payload);
      } else if (type === END) {
        const d = this.downloads.get(id);
        this.downloads.delete(id);
        if (payload.length) d?.destroy(agentError("EIO", payload.toString("utf8")));
        else d?.end();
      }
    }
    if (pending.length) {
      this.parts = [pending];
      this.partsBytes = pending.length;
    }
  }

  private send(type: number, id: number, payload: Buffer): boolean {
    return this.proc.stdin.write(frame(type, id, payload));
  }

  private request<T>(req: Record<string, unknown>, id = this.nextId++): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const p = new Promise<T>((resolve, reject) => this.waiters.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    this.send(ANSWER, id, Buffer.from(JSON.stringify(req)));
    return p;
  }

  list(path: string, depth: number): Promise<SandboxStat[]> {
    return this.request({ op: "list", path, depth, limit: 100_000 });
  }
  stat(path: string): Promise<SandboxStat> {
    return this.request({ op: "stat", path });
  }
  async mkdir(path: string, mode: number): Promise<void> {
    await this.request({ op: "mkdir", path, mode });
  }
  async remove(path: string, recursive: boolean): Promise<void> {
    await this.request({ op: "remove", path, recursive });
  }
  async move(source: string, destination: string): Promise<void> {
    await this.request({ op: "move", source, destination });
  }
  async chmod(path: string, mode: number): Promise<void> {
    await this.request({ op: "chmod", path, mode });
  }
  find(path: string, pattern: string, limit: number): Promise<{ file: string; line: number; content: string }[]> {
    return this.request({ op: "find", path, pattern, limit });
  }
  search(path: string, tokens: GlobToken[], limit: number): Promise<string[]> {
    return this.request({ op: "search", path, tokens, limit });
  }
  replace(files: string[], pattern: string, newValue: string): Promise<{ file: string; success: boolean; error?: string }[]> {
    return this.request({ op: "replace", files, pattern, newValue });
  }
  /** Staged upload files right now (half-written or waiting for their commit). */
  inflight(): Promise<string[]> {
    return this.request({ op: "inflight" });
  }
  /** Resolves once the agent answers (rejects with ENOAGENT when node cannot run in the sandbox). */
  async ready(): Promise<void> {
    await this.request({ op: "hello" });
  }
  listeningPorts(): Promise<number[]> {
    return this.request({ op: "ports" });
  }

  /**
   * A process started by the agent (as the sandbox's user, in a session of its own). `kill` signals
   * its tree from the agent; `rootKill` (given by the runtime) reaches what sudo raised to root.
   */
  async spawn(argv: string[], o: { cwd: string; env: Record<string, string>; fd3: boolean }, rootKill: (pid: number, sig: NodeJS.Signals) => void): Promise<SandboxProcess> {
    const id = this.nextId++;
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    let done = false;
    this.children.set(id, {
      stdout,
      stderr,
      exit: (code) => {
        done = true;
        stdout.end();
        stderr.end();
        // The spawn's answer, its output and its exit can come in one read: a listener added right
        // after the spawn resolves gets the buffered output on the next ticks, before this resolves.
        setImmediate(() => resolveExit(code));
      },
    });
    const pipeTo = (data: number, end: number) =>
      new Writable({
        write: (chunk: Buffer, _e, cb) => {
          if (done || this.dead) return cb();
          if (this.send(data, id, chunk)) cb();
          else this.proc.stdin.once("drain", () => cb());
        },
        final: (cb) => {
          if (!done && !this.dead) this.send(end, id, Buffer.alloc(0));
          cb();
        },
      });
    let pid = 0;
    try {
      pid = (await this.request<{ pid: number }>({ op: "spawn", argv, cwd: o.cwd, env: o.env, fd3: o.fd3 }, id)).pid;
    } catch (e) {
      this.children.delete(id);
      throw e;
    }
    const stdin = pipeTo(STDIN, STDIN_END);
    stdin.on("error", () => undefined);
    const extra = o.fd3 ? pipeTo(FD3, FD3_END) : undefined;
    extra?.on("error", () => undefined);
    return {
      stdin,
      stdout,
      stderr,
      extra,
      exited,
      resize: async () => undefined,
      kill: (sig: NodeJS.Signals = "SIGKILL") => {
        if (done || !pid) return;
        void this.request({ op: "signal", target: id, signal: sig }).catch(() => undefined);
        rootKill(pid, sig);
      },
    };
  }

  async read(path: string): Promise<{ stat: SandboxStat; stream: Readable }> {
    const id = this.nextId++;
    const stream = new PassThrough();
    this.downloads.set(id, stream);
    try {
      const stat = await this.request<SandboxStat>({ op: "read", path }, id);
      return { stat, stream };
    } catch (e) {
      this.downloads.delete(id);
      throw e;
    }
  }

  async write(path: string, data: Readable, mode?: number): Promise<void> {
    await this.upload(path, data, mode, false);
  }

  /** Stage a file (written whole, not yet in place): `commit` renames staged files into place, in order. */
  async stage(path: string, data: Readable): Promise<number> {
    return this.upload(path, data, undefined, true);
  }

  async commit(ids: number[]): Promise<void> {
    await this.request({ op: "commit", ids });
  }

  async discard(ids: number[]): Promise<void> {
    if (ids.length && !this.dead) await this.request({ op: "discard", ids });
  }

  private async upload(path: string, data: Readable, mode: number | undefined, deferred: boolean): Promise<number> {
    const id = this.nextId++;
    const done = this.request<void>({ op: "write", path, mode, deferred }, id);
    // An early refusal (a directory at the destination, no permission) ends the upload at once.
    let refused = false;
    done.catch(() => (refused = true));
    try {
      for await (const chunk of data) {
        if (refused) break;
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        for (let off = 0; off < buf.length; off += CHUNK) {
          if (!this.send(DATA, id, buf.subarray(off, off + CHUNK))) await new Promise((r) => this.proc.stdin.once("drain", r));
        }
      }
    } catch (e) {
      this.send(ABORT, id, Buffer.alloc(0));
      this.waiters.delete(id);
      done.catch(() => undefined);
      throw e;
    }
    this.send(END, id, Buffer.alloc(0));
    await done;
    return id;
  }
}
