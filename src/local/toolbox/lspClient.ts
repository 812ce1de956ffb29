// A minimal Language Server Protocol client over a sandbox process's stdio: JSON-RPC 2.0 messages in
// Content-Length frames, requests matched to answers by id, and the server's own requests
// (configuration, capability registration, progress) answered so it never waits on us.
import type { SandboxProcess } from "../contract";

/** JSON-RPC's "method not found": the server does not implement the request. */
export const METHOD_NOT_FOUND = -32601;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

export class LspClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buf = Buffer.alloc(0);
  private stderrTail = "";
  readonly exited: Promise<number>;

  constructor(private readonly proc: SandboxProcess) {
    proc.stdout.on("data", (d: Buffer) => this.onData(d));
    proc.stderr.on("data", (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString("utf8")).slice(-2000)));
    this.exited = proc.exited.then((code) => {
      const why = new Error(`the language server exited (code ${code})${this.stderrTail.trim() ? `: ${this.stderrTail.trim().split("\n").slice(-3).join("; ")}` : ""}`);
      for (const p of this.pending.values()) p.reject(why);
      this.pending.clear();
      return code;
    });
  }

  private write(msg: Record<string, unknown>): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...msg }), "utf8");
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  request<T>(method: string, params: unknown, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the language server did not answer ${method} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.write({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ method, params });
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const head = this.buf.indexOf("\r\n\r\n");
      if (head < 0) return;
      const m = /Content-Length:\s*(\d+)/i.exec(this.buf.subarray(0, head).toString("ascii"));
      if (!m) {
        this.buf = this.buf.subarray(head + 4);
        continue;
      }
      const len = Number(m[1]);
      if (this.buf.length < head + 4 + len) return;
      const body = this.buf.subarray(head + 4, head + 4 + len).toString("utf8");
      this.buf = this.buf.subarray(head + 4 + len);
      try {
        this.onMessage(JSON.parse(body) as Record<string, unknown>);
      } catch {
        // A malformed frame is dropped; the request it answered times out.
      }
    }
  }

  private onMessage(msg: Record<string, unknown>): void {
    const id = msg.id;
    if (typeof msg.method === "string") {
      // A request from the server: answer what it asks so it can go on.
      if (id === undefined) return;
      const result = msg.method === "workspace/configuration" ? ((msg.params as { items?: unknown[] })?.items ?? []).map(() => null) : null;
      this.write({ id, result });
      return;
    }
    if (typeof id !== "number") return;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (msg.error) {
      const err = msg.error as { message?: unknown; code?: unknown };
      p.reject(Object.assign(new Error(String(err.message ?? "language server error")), { rpcCode: err.code }));
    }
    else p.resolve(msg.result ?? null);
  }

  /** Polite shutdown, then the process is killed whatever it answered. */
  async stop(): Promise<void> {
    await Promise.race([this.request("shutdown", null, 3000).catch(() => undefined), this.exited]);
    this.notify("exit", null);
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 1000).unref())]);
    this.proc.kill("SIGKILL");
  }

  kill(): void {
    this.proc.kill("SIGKILL");
  }
}
