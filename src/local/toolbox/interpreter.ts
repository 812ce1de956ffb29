// The code interpreter: Python contexts that keep their globals between runs. Each context is one
// python3 process inside the sandbox running interpreterDriver.ts; runs in a context are serial.
// REST: POST/GET /process/interpreter/context, DELETE /process/interpreter/context/{id}.
// WebSocket /process/interpreter/execute: the client sends {code, contextId?, envs?, timeout?}; the
// server streams {type: stdout|stderr|error} frames, then {type: "control", text: "completed" or
// "interrupted"} and closes normally. A run past its timeout is interrupted (its output so far is kept).
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import type { WebSocket } from "ws";
import { ToolboxError, type SandboxProcess, type SandboxRuntime, type SandboxRuntimeInfo } from "../contract";
import { ignorePipeErrors, invalidBody, optString, readJson, sendJson, type Route } from "./http";
import type { UpgradeCtx } from "./index";
import { INTERPRETER_DRIVER } from "./interpreterDriver";

export type InterpreterEvent = { type: "stdout" | "stderr"; text: string } | { type: "error"; name: string; value: string; traceback: string };

/** How long an interrupted run may take to stop before its context's process is killed. */
const INTERRUPT_GRACE_MS = 2000;
const DEFAULT_CONTEXT = "default";

interface Run {
  code: string;
  envs?: Record<string, string>;
  timeoutSec?: number;
  onEvent(e: InterpreterEvent): void;
  resolve(r: { interrupted: boolean }): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
}

class Context {
  readonly createdAt = new Date().toISOString();
  private proc: SandboxProcess | undefined;
  private starting: Promise<SandboxProcess> | undefined;
  private current: Run | undefined;
  private readonly queue: Run[] = [];
  deleted = false;

  constructor(
    readonly id: string,
    readonly cwd: string,
    private readonly runtime: SandboxRuntime,
    private readonly info: SandboxRuntimeInfo,
  ) {}

  /** The context's python process, started on first use and again after it died. */
  private process(): Promise<SandboxProcess> {
    if (this.proc) return Promise.resolve(this.proc);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<SandboxProcess> {
    const proc = await this.runtime.spawn(this.info, ["python3", "-u", "-c", INTERPRETER_DRIVER], { cwd: this.cwd, extraPipe: true });
    this.proc = proc;
    proc.stdin.end();
    proc.stderr.resume();
    ignorePipeErrors(proc);
    const lines = createInterface({ input: proc.stdout! });
    lines.on("line", (line) => this.onLine(line));
    void proc.exited.then((code) => {
      if (this.proc === proc) this.proc = undefined;
      const run = this.current;
      this.current = undefined;
      if (!run) return;
      clearTimeout(run.timer);
      run.reject(new ToolboxError(500, "INTERNAL_SERVER_ERROR", `the interpreter process exited (code ${code})`));
      this.next();
    });
    return proc;
  }

  private onLine(line: string): void {
    let msg: { type?: string; interrupted?: boolean } & Record<string, unknown>;
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    const run = this.current;
    if (!run) return;
    if (msg.type === "done") {
      this.current = undefined;
      clearTimeout(run.timer);
      run.resolve({ interrupted: msg.interrupted === true });
      this.next();
    } else if (msg.type === "stdout" || msg.type === "stderr") {
      run.onEvent({ type: msg.type, text: String(msg.text ?? "") });
    } else if (msg.type === "error") {
      run.onEvent({ type: "error", name: String(msg.name ?? ""), value: String(msg.value ?? ""), traceback: String(msg.traceback ?? "") });
    }
  }

  /** Messages to the driver go through its fd 3 (stdin stays closed: code reading input sees EOF). */
  private send(proc: SandboxProcess, obj: unknown): void {
    proc.extra?.write(`${JSON.stringify(obj)}\n`);
  }

  private next(): void {
    if (this.current || this.deleted) return;
    const run = this.queue.shift();
    if (!run) return;
    this.current = run;
    this.process().then(
      (proc) => this.begin(run, proc),
      (err: unknown) => {
        if (this.current !== run) return;
        this.current = undefined;
        run.reject(err instanceof ToolboxError ? err : new ToolboxError(500, "INTERNAL_SERVER_ERROR", `the interpreter could not start: ${err instanceof Error ? err.message : String(err)}`));
        this.next();
      },
    );
  }

  private begin(run: NonNullable<typeof this.current>, proc: SandboxProcess): void {
    if (this.current !== run) return;
    this.send(proc, { run: run.code, envs: run.envs });
    if (run.timeoutSec && run.timeoutSec > 0) {
      run.timer = setTimeout(() => {
        if (this.current !== run) return;
        this.send(proc, { interrupt: true });
        // Code that does not stop on KeyboardInterrupt loses its context's state, not the server.
        run.timer = setTimeout(() => {
          if (this.current !== run || this.proc !== proc) return;
          this.current = undefined;
          run.resolve({ interrupted: true });
          proc?.kill("SIGKILL");
        }, INTERRUPT_GRACE_MS);
      }, run.timeoutSec * 1000);
    }
  }

  run(code: string, envs: Record<string, string> | undefined, timeoutSec: number | undefined, onEvent: (e: InterpreterEvent) => void): Promise<{ interrupted: boolean }> {
    if (this.deleted) return Promise.reject(new ToolboxError(404, "NOT_FOUND", "context not found"));
    return new Promise((resolve, reject) => {
      this.queue.push({ code, envs, timeoutSec, onEvent, resolve, reject });
      this.next();
    });
  }

  close(): void {
    this.deleted = true;
    for (const r of this.queue.splice(0)) r.reject(new ToolboxError(404, "NOT_FOUND", "context not found"));
    this.proc?.kill("SIGKILL");
  }

  toJSON() {
    return { id: this.id, cwd: this.cwd, createdAt: this.createdAt, active: !this.deleted, language: "python" };
  }
}

export class InterpreterManager {
  private readonly contexts = new Map<string, Map<string, Context>>();

  constructor(private readonly runtime: SandboxRuntime) {}

  private of(sandboxId: string): Map<string, Context> {
    let m = this.contexts.get(sandboxId);
    if (!m) this.contexts.set(sandboxId, (m = new Map()));
    return m;
  }

  create(info: SandboxRuntimeInfo, cwd: string | undefined, language: string | undefined, id: string = randomUUID()): Context {
    if (language && language !== "python") throw new ToolboxError(400, "BAD_REQUEST", `bad request: unsupported language: ${language}`);
    const c = new Context(id, cwd || this.runtime.homeDir(info), this.runtime, info);
    this.of(info.id).set(id, c);
    return c;
  }

  get(info: SandboxRuntimeInfo, id: string | undefined): Context {
    const m = this.of(info.id);
    if (!id) return m.get(DEFAULT_CONTEXT) ?? this.create(info, undefined, undefined, DEFAULT_CONTEXT);
    const c = m.get(id);
    if (!c) throw new ToolboxError(404, "NOT_FOUND", "context not found");
    return c;
  }

  /** The contexts a user created (the default context is not listed). */
  list(sandboxId: string): Context[] {
    return [...(this.contexts.get(sandboxId)?.values() ?? [])].filter((c) => c.id !== DEFAULT_CONTEXT);
  }

  delete(sandboxId: string, id: string): void {
    const c = this.contexts.get(sandboxId)?.get(id);
    if (!c || id === DEFAULT_CONTEXT) throw new ToolboxError(404, "NOT_FOUND", "context not found");
    c.close();
    this.contexts.get(sandboxId)?.delete(id);
  }

  /** The execute WebSocket: one request, its output frames, a control frame, a normal close. */
  execute(u: UpgradeCtx): void {
    const ws = u.ws;
    const send = (obj: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(obj));
    ws.once("message", (data: Buffer) => {
      void this.handle(u.info, ws, data.toString("utf8"), send);
    });
  }

  private async handle(info: SandboxRuntimeInfo, ws: WebSocket, text: string, send: (obj: unknown) => void): Promise<void> {
    try {
      let req: { code?: unknown; contextId?: unknown; envs?: unknown; timeout?: unknown };
      try {
        req = JSON.parse(text) as typeof req;
      } catch {
        throw invalidBody("the first message must be a JSON object");
      }
      if (typeof req.code !== "string" || !req.code.trim()) throw invalidBody("code is required");
      const envs = req.envs && typeof req.envs === "object" ? Object.fromEntries(Object.entries(req.envs).map(([k, v]) => [k, String(v)])) : undefined;
      const timeout = typeof req.timeout === "number" && req.timeout > 0 ? req.timeout : undefined;
      const ctx = this.get(info, typeof req.contextId === "string" ? req.contextId : undefined);
      const r = await ctx.run(req.code, envs, timeout, (e) => send(e));
      send({ type: "control", text: r.interrupted ? "interrupted" : "completed" });
      ws.close(1000);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      ws.close(1011, message.slice(0, 120));
    }
  }

  closeSandbox(sandboxId: string): void {
    for (const c of this.contexts.get(sandboxId)?.values() ?? []) c.close();
    this.contexts.delete(sandboxId);
  }

  closeAll(): void {
    for (const id of [...this.contexts.keys()]) this.closeSandbox(id);
  }
}

export function interpreterRoutes(interpreters: InterpreterManager): Route[] {
  return [
    {
      method: "POST",
      pattern: /^\/process\/interpreter\/context$/,
      handler: async (ctx) => {
        const body = await readJson(ctx.req);
        sendJson(ctx.res, 200, interpreters.create(ctx.info, optString(body, "cwd"), optString(body, "language")));
      },
    },
    { method: "GET", pattern: /^\/process\/interpreter\/context$/, handler: (ctx) => sendJson(ctx.res, 200, { contexts: interpreters.list(ctx.info.id) }) },
    {
      method: "DELETE",
      pattern: /^\/process\/interpreter\/context\/([^/]+)$/,
      handler: (ctx) => {
        interpreters.delete(ctx.info.id, ctx.params[0]);
        sendJson(ctx.res, 200, { message: "Context deleted successfully" });
      },
    },
  ];
}
