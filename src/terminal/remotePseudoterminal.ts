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
}

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000];

export class RemotePseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly id = `vscode-${randomUUID()}`;
  private conn?: PtyConnection;
  private dims = { cols: 80, rows: 24 };
  private closedByUser = false;
  /** A deliberate disconnect: the SDK reports a clean close as exit 0, which it is not. */
  private dropping = false;
  private readonly decoder = new TextDecoder();
  /** Set once the remote shell has exited; the code is shown and the terminal ends. */
  exitCode: number | undefined;

  constructor(
    private readonly target: Target,
    private readonly options: RemoteTerminalOptions = {},
  ) {}

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
      try {
        const conn = await this.target.reconnectPty(this.id, this.onData);
        this.conn = conn;
        await conn.resize(this.dims.cols, this.dims.rows).catch(() => undefined);
        this.writeEmitter.fire(`\x1b[32m[reconnected]\x1b[0m\r\n`);
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

  handleInput(data: string): void {
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

  /** For tests and the reconnect path: drop the connection without ending the shell. */
  async dropConnection(): Promise<void> {
    this.dropping = true;
    await this.conn?.disconnect();
  }
}
