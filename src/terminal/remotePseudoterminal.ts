// A VS Code terminal over a remote PTY (a sandbox's shell, or `docker exec -it` for a compose
// service). Keystrokes go straight to the PTY (one round trip for an echo, no polling). A dropped
// connection reconnects to the same PTY by id, so the shell and its history survive; closing the
// terminal kills the remote shell; when the shell exits its code is shown.
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import { isTargetError, type PtyConnection, type Target } from "../core/targets/target";

export interface RemoteTerminalOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Run this instead of the login shell (argv inside the PTY, e.g. docker exec for a service). */
  command?: string;
  log?: vscode.LogOutputChannel;
  /**
   * Finds the target again by its key. After the connection changed (the local server restarted, on
   * a new address) the old target's client is gone; reconnecting goes through a fresh one.
   */
  resolve?: (key: string) => Promise<Target>;
  /** Why the terminal ended, when it is the sandbox's doing ("sandbox x was stopped"); else undefined. */
  whyEnded?: () => Promise<string | undefined>;
}

// About a minute in all: long enough for the local server's supervised restart and a network blip.
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15000, 30000];

export class RemotePseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly id = `vscode-${randomUUID()}`;
  private conn?: PtyConnection;
  private target: Target;
  /** Ended by the sandbox (stopped, deleted): the reason is shown and a key closes the terminal. */
  private ended = false;
  private dims = { cols: 80, rows: 24 };
  private closedByUser = false;
  /** A deliberate disconnect: the SDK reports a clean close as exit 0, which it is not. */
  private dropping = false;
  private readonly decoder = new TextDecoder();
  /** Set once the remote shell has exited; the code is shown and the terminal ends. */
  exitCode: number | undefined;

  constructor(
    target: Target,
    private readonly options: RemoteTerminalOptions = {},
  ) {
    this.target = target;
  }

  private readonly onData = (bytes: Uint8Array) => this.writeEmitter.fire(this.decoder.decode(bytes, { stream: true }));

  async open(dims: vscode.TerminalDimensions | undefined): Promise<void> {
    if (dims) this.dims = { cols: dims.columns, rows: dims.rows };
    try {
      this.conn = await this.target.openPty({ id: this.id, ...this.dims, cwd: this.options.cwd, env: this.options.env }, this.onData);
      if (this.options.command) await this.conn.send(`exec ${this.options.command}\r`);
      void this.follow(this.conn);
    } catch (err) {
      this.writeEmitter.fire(`\r\n\x1b[31mCould not open a terminal in ${this.target.label}: ${err instanceof Error ? err.message : String(err)}\x1b[0m\r\n`);
      this.closeEmitter.fire(1);
    }
  }

  /** Waits for the connection to end: an exit ends the terminal, a drop reconnects. */
  private async follow(conn: PtyConnection): Promise<void> {
    const result = await conn.closed();
    if (this.closedByUser || conn !== this.conn) return;
    const dropped = this.dropping;
    this.dropping = false;
    // A shell killed by a signal (137: the sandbox stopping) or a dropped connection may be the
    // sandbox's doing; its state can lag the kill by a moment, so ask a few times.
    const signalled = result.exitCode === undefined || result.exitCode >= 128;
    for (const wait of signalled && !dropped ? [0, 700, 1500] : dropped ? [] : [0]) {
      await new Promise((r) => setTimeout(r, wait));
      if (this.closedByUser) return;
      if (await this.endIfSandboxGone()) return;
    }
    if (result.exitCode !== undefined && !dropped) {
      this.exitCode = result.exitCode;
      this.writeEmitter.fire(`\r\n\x1b[2m[the shell exited with code ${result.exitCode}]\x1b[0m\r\n`);
      this.closeEmitter.fire(result.exitCode);
      return;
    }
    await this.reconnect(result.reason);
  }

  private async reconnect(reason: string | undefined): Promise<void> {
    this.options.log?.info(`terminal ${this.id} in ${this.target.label} lost its connection (${reason ?? "closed"}); reconnecting`);
    this.writeEmitter.fire(`\r\n\x1b[33m[connection lost, reconnecting…]\x1b[0m\r\n`);
    for (const delay of RECONNECT_DELAYS_MS) {
      await new Promise((r) => setTimeout(r, delay));
      if (this.closedByUser) return;
      if (await this.endIfSandboxGone()) return;
      try {
        if (this.options.resolve) this.target = await this.options.resolve(this.target.key);
        let conn: PtyConnection;
        let fresh = false;
        try {
          conn = await settleWithin(this.target.reconnectPty(this.id, this.onData), ATTEMPT_TIMEOUT_MS, "reconnecting");
        } catch (err) {
          // The shell itself is gone (the sandbox or the server restarted): a new one, said so.
          if (!isGone(err)) throw err;
          conn = await settleWithin(this.target.openPty({ id: this.id, ...this.dims, cwd: this.options.cwd, env: this.options.env }, this.onData), ATTEMPT_TIMEOUT_MS, "opening a new shell");
          if (this.options.command) await conn.send(`exec ${this.options.command}\r`);
          fresh = true;
        }
        if (this.closedByUser) {
          void conn.disconnect().catch(() => undefined);
          return;
        }
        this.conn = conn;
        // Not awaited: the terminal is usable at once; a resize the server is slow to answer must not hold it.
        void conn.resize(this.dims.cols, this.dims.rows).catch(() => undefined);
        this.writeEmitter.fire(fresh ? `\x1b[33m[reconnected; the previous shell had ended, this is a new one]\x1b[0m\r\n` : `\x1b[32m[reconnected]\x1b[0m\r\n`);
        void this.follow(conn);
        return;
      } catch (err) {
        this.options.log?.debug(`reconnect of ${this.id} failed: ${err instanceof Error ? err.message : String(err)}`);
        if (isTargetError(err, "notFound")) {
          // The PTY is gone (PROCESS_NOT_FOUND: the sandbox stopped or its server restarted): no retry can bring it back.
          this.writeEmitter.fire(`\x1b[31m[the shell in ${this.target.label} is gone (it stopped or its server restarted); open a new terminal]\x1b[0m\r\n`);
          this.closeEmitter.fire(1);
          return;
        }
      }
    }
    this.writeEmitter.fire(`\x1b[31m[could not reconnect to ${this.target.label}; close this terminal and open a new one]\x1b[0m\r\n`);
    this.closeEmitter.fire(1);
  }

  /** When the sandbox stopped or went away: say so in the terminal and wait for a key to close it. */
  private async endIfSandboxGone(): Promise<boolean> {
    const why = await this.options.whyEnded?.().catch(() => undefined);
    if (!why || this.closedByUser) return false;
    this.ended = true;
    this.conn = undefined;
    this.writeEmitter.fire(`\r\n\x1b[33m[${why}. Press any key to close this terminal.]\x1b[0m\r\n`);
    return true;
  }

  handleInput(data: string): void {
    if (this.ended) return void this.closeEmitter.fire();
    const conn = this.conn;
    if (!conn) return;
    conn.send(data).catch(() => {
      // The connection is down; follow() is reconnecting. Typed input is not replayed: it could
      // run a command twice.
    });
  }

  setDimensions(dims: vscode.TerminalDimensions): void {
    this.dims = { cols: dims.columns, rows: dims.rows };
    void this.conn?.resize(dims.columns, dims.rows).catch(() => undefined);
  }

  close(): void {
    this.closedByUser = true;
    const conn = this.conn;
    this.conn = undefined;
    if (conn && this.exitCode === undefined) {
      void conn.kill().catch(() => undefined).finally(() => conn.disconnect().catch(() => undefined));
    }
  }

  /** True once the sandbox ended this terminal (for tests). */
  get endedBySandbox(): boolean {
    return this.ended;
  }

  /** For tests and the reconnect path: drop the connection without ending the shell. */
  async dropConnection(): Promise<void> {
    this.dropping = true;
    await this.conn?.disconnect();
  }
}

/** One reconnect attempt's bound: a connection that never settles is retried, not waited on forever. */
const ATTEMPT_TIMEOUT_MS = 12_000;

/** `p`, or a timeout error after `ms`; a connection that arrives late is disconnected (nobody uses it). */
function settleWithin(p: Promise<PtyConnection>, ms: number, what: string): Promise<PtyConnection> {
  return new Promise<PtyConnection>((resolve, reject) => {
    let late = false;
    const t = setTimeout(() => {
      late = true;
      reject(new Error(`${what} took over ${ms / 1000} s`));
    }, ms);
    p.then(
      (conn) => {
        clearTimeout(t);
        if (late) void conn.disconnect().catch(() => undefined);
        else resolve(conn);
      },
      (err: unknown) => {
        clearTimeout(t);
        reject(err);
      },
    );
  });
}

/** A reconnect refused because the PTY session does not exist any more. */
function isGone(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return code === "notFound" || /not found|no such|404|does not exist/i.test(text);
}
