// PTY sessions over WebSockets. A PTY outlives its WebSocket and a client can connect again by id. As
// Daytona's daemon does, output goes to the clients attached at that moment only: what a shell prints
// while nobody is connected is not kept, so a reconnect here shows what it would show on Daytona.
import type { WebSocket } from "ws";
import { ToolboxError, type SandboxProcess, type SandboxRuntime, type SandboxRuntimeInfo } from "../contract";
import { ignorePipeErrors } from "./http";
import type { UpgradeCtx } from "./index";

/**
 * As the daemon (GetShell, then `<shell> -i -l`): the sandbox's first of zsh, bash, sh, resolved inside
 * the sandbox when the PTY starts, so the image decides. An image without ~/.zshrc gets zsh's new-user
 * menu there as on Daytona (whose image, like the local one, ships an empty ~/.zshrc).
 */
const LOGIN_SHELL = [
  "/bin/sh",
  "-c",
  'for s in zsh bash sh; do p=$(command -v "$s") && case "$p" in /*) exec "$p" -i -l;; esac; done; echo "no shell (zsh, bash, sh) in the sandbox" >&2; exit 127',
];

export const PTY_EXIT_CONTROL = "X-Daytona-Pty-Exit-Control";
const ENVS_PROTOCOL_PREFIX = "X-Daytona-Pty-Envs~";

const RESIZE_TIMEOUT_MS = 3000;

/** Settles when `p` does or after `ms`, whichever is first (a late rejection is ignored). */
function bounded(p: Promise<void>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
    p.catch(() => undefined).finally(() => (clearTimeout(t), resolve()));
  });
}

export class PtySession {
  readonly createdAt = new Date().toISOString();
  readonly clients = new Set<WebSocket>();
  exit: { exitCode: number; exitReason?: string } | undefined;
  killReason: string | undefined;
  private resizing: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly sandboxId: string,
    readonly proc: SandboxProcess,
    public cols: number,
    public rows: number,
    readonly cwd: string,
    readonly envs: Record<string, string>,
    onExit: (s: PtySession) => void,
  ) {
    const out = (d: Buffer) => {
      for (const c of this.clients) c.send(d, { binary: true });
    };
    proc.stdout.on("data", out);
    proc.stderr.on("data", out);
    ignorePipeErrors(proc);
    void proc.exited.then(async (code) => {
      const stdout = proc.stdout;
      if (!stdout.readableEnded) await new Promise((r) => (stdout.once("end", r), setTimeout(r, 500).unref()));
      const exitReason = this.killReason ?? (code > 128 ? `terminated by signal ${code - 128}` : undefined);
      this.exit = { exitCode: code, ...(exitReason ? { exitReason } : {}) };
      for (const c of [...this.clients]) this.sendExit(c);
      onExit(this);
    });
  }

  sendExit(ws: WebSocket): void {
    const exit = this.exit!;
    ws.send(JSON.stringify({ type: "control", status: "exited", ...exit }));
    ws.close(exit.exitCode === 0 ? 1000 : 1011, JSON.stringify(exit).slice(0, 120));
  }

  attach(ws: WebSocket): void {
    ws.send(JSON.stringify({ type: "control", status: "connected" }));
    if (this.exit) {
      this.sendExit(ws);
      return;
    }
    this.clients.add(ws);
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      // After a pending resize: what is typed next sees the new size.
      if (!this.exit) void this.resizing.then(() => this.proc.stdin.write(buf));
    });
    const gone = () => void this.clients.delete(ws);
    ws.on("close", gone);
    ws.on("error", gone);
  }

  /** Resolves once the terminal has the new size; input sent after the call waits for it. */
  resize(cols: number, rows: number): Promise<void> {
    this.cols = cols;
    this.rows = rows;
    // Bounded: input waits for a pending resize, so one the engine never answers must not hold it forever.
    this.resizing = this.resizing.then(() => bounded(this.proc.resize(cols, rows), RESIZE_TIMEOUT_MS));
    return this.resizing;
  }

  toJSON() {
    return { id: this.id, cwd: this.cwd, envs: this.envs, cols: this.cols, rows: this.rows, createdAt: this.createdAt, active: !this.exit, lazyStart: false };
  }
}

function decodeEnvs(protocolHeader: string | undefined): Record<string, string> {
  for (const p of (protocolHeader ?? "").split(",").map((s) => s.trim())) {
    if (!p.startsWith(ENVS_PROTOCOL_PREFIX)) continue;
    const json = Buffer.from(p.slice(ENVS_PROTOCOL_PREFIX.length), "base64url").toString("utf8");
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new ToolboxError(400, "BAD_REQUEST", "PTY envs must be an object");
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
  }
  return {};
}

function intParam(url: URL, name: string, fallback: number): number {
  const v = url.searchParams.get(name);
  const n = v === null || v === "" ? fallback : Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new ToolboxError(400, "BAD_REQUEST", `${name} must be an integer from 1 to 1000`);
  return n;
}

function fail(ws: WebSocket, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  ws.send(JSON.stringify({ type: "control", status: "error", error: message }));
  ws.close(1011, JSON.stringify({ error: message }).slice(0, 120));
}

export class PtyManager {
  private readonly ptys = new Map<string, Map<string, PtySession>>();
  private readonly starting = new Set<string>();

  constructor(private readonly runtime: SandboxRuntime) {}

  private of(sandboxId: string): Map<string, PtySession> {
    let m = this.ptys.get(sandboxId);
    if (!m) this.ptys.set(sandboxId, (m = new Map()));
    return m;
  }

  async create(info: SandboxRuntimeInfo, id: string, cols: number, rows: number, cwd: string | undefined, envs: Record<string, string>): Promise<PtySession> {
    if (!/^[A-Za-z0-9._:-]{1,128}$/.test(id)) throw new ToolboxError(400, "BAD_REQUEST", "PTY id must be 1-128 characters of A-Z a-z 0-9 . _ : -");
    const m = this.of(info.id);
    if (m.has(id)) throw new ToolboxError(409, "CONFLICT", `PTY session ${id} already exists`);
    if (this.starting.has(`${info.id}/${id}`)) throw new ToolboxError(409, "CONFLICT", `PTY session ${id} already exists`);
    this.starting.add(`${info.id}/${id}`);
    try {
      const home = this.runtime.homeDir(info);
      // As the daemon: TERM defaults to xterm-256color and the session reports the envs it was started with.
      const env = { ...envs, TERM: envs.TERM ?? "xterm-256color" };
      const proc = await this.runtime.spawn(info, LOGIN_SHELL, { pty: { cols, rows }, cwd: cwd || undefined, env });
      const s = new PtySession(id, info.id, proc, cols, rows, cwd || home, env, (ended) => this.forget(info.id, ended));
      m.set(id, s);
      return s;
    } finally {
      this.starting.delete(`${info.id}/${id}`);
    }
  }

  /** As the daemon: a PTY whose shell has exited is gone (its clients were told the exit code). */
  private forget(sandboxId: string, ended: PtySession): void {
    const m = this.ptys.get(sandboxId);
    if (m?.get(ended.id) === ended) m.delete(ended.id);
  }

  get(sandboxId: string, id: string): PtySession {
    const s = this.ptys.get(sandboxId)?.get(id);
    if (!s) throw new ToolboxError(404, "PROCESS_NOT_FOUND", "PTY session not found");
    return s;
  }

  list(sandboxId: string): PtySession[] {
    return [...(this.ptys.get(sandboxId)?.values() ?? [])];
  }

  kill(sandboxId: string, id: string, reason = "killed"): void {
    const s = this.get(sandboxId, id);
    s.killReason ??= reason;
    s.proc.kill("SIGKILL");
    this.ptys.get(sandboxId)?.delete(id);
  }

  async createConnect(u: UpgradeCtx): Promise<void> {
    try {
      const id = u.url.searchParams.get("id") ?? "";
      const envs = decodeEnvs(u.req.headers["sec-websocket-protocol"]);
      const s = await this.create(u.info, id, intParam(u.url, "cols", 80), intParam(u.url, "rows", 24), u.url.searchParams.get("cwd") ?? undefined, envs);
      s.attach(u.ws);
    } catch (e) {
      fail(u.ws, e);
    }
  }

  /**
   * As the daemon: the WebSocket is upgraded first, and an unknown id is told in an error control
   * frame ("Failed to connect to PTY session: PTY session <id> not found"), never an HTTP 404.
   */
  connect(u: UpgradeCtx): void {
    const id = u.params[0];
    const s = this.ptys.get(u.info.id)?.get(id);
    if (!s) return fail(u.ws, new Error(`Failed to connect to PTY session: PTY session ${id} not found`));
    s.attach(u.ws);
  }

  closeSandbox(sandboxId: string): void {
    for (const s of this.list(sandboxId)) if (!s.exit) this.kill(sandboxId, s.id, "sandbox stopped");
    this.ptys.delete(sandboxId);
  }

  closeAll(): void {
    for (const id of [...this.ptys.keys()]) this.closeSandbox(id);
  }
}
