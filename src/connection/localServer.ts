// The "Local" profile's server: the project's local Daytona-compatible server (dist/local-server.js)
// started as a child process, its data in the extension's global storage, stopped on deactivate.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import type * as vscode from "vscode";

export interface LocalServerInfo {
  apiUrl: string;
  token: string;
}

const READY_TIMEOUT_MS = 20_000;

export class LocalServerProcess implements vscode.Disposable {
  private child?: ChildProcess;
  private ready?: Promise<LocalServerInfo>;

  constructor(
    private readonly extensionPath: string,
    private readonly dataDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server once (later calls share the same start) and resolves with its address. */
  start(token: string): Promise<LocalServerInfo> {
    if (this.ready && this.running) return this.ready;
    this.ready = this.spawn(token);
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  private spawn(token: string): Promise<LocalServerInfo> {
    const script = path.join(this.extensionPath, "dist", "local-server.js");
    // The token goes through the environment, not argv, so it does not show in the process table.
    const child = spawn(process.execPath, [script, "--port", "0", "--data", this.dataDir], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1", DAYTONA_LOCAL_TOKEN: token },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const stderr = readline.createInterface({ input: child.stderr! });
    // A start-up failure (no Docker engine, for example) is one "local-server: <why>" line: shown as it is.
    let reason: string | undefined;
    stderr.on("line", (line) => {
      this.log.debug(`[local server] ${line}`);
      if (line.startsWith("local-server: ")) reason ??= line.slice("local-server: ".length);
    });
    return new Promise<LocalServerInfo>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`the local server did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      const stdout = readline.createInterface({ input: child.stdout! });
      const fail = (err: Error) => {
        clearTimeout(timer);
        child.kill("SIGTERM");
        reject(err);
      };
      stdout.once("line", (line) => {
        clearTimeout(timer);
        try {
          const info = JSON.parse(line) as LocalServerInfo;
          if (typeof info.apiUrl !== "string" || typeof info.token !== "string") throw new Error("bad ready line");
          this.log.info(`local server ready at ${info.apiUrl} (pid ${child.pid}, data ${this.dataDir})`);
          resolve(info);
        } catch {
          fail(new Error(`the local server printed an unexpected first line: ${line.slice(0, 200)}`));
        }
      });
      child.once("error", (err) => fail(new Error(`could not start the local server: ${err.message}`)));
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = undefined;
        this.log.info(`local server exited (${signal ?? `code ${code}`})`);
        // Let the last stderr lines arrive before saying why.
        setTimeout(() => reject(new Error(reason ? `the local server could not start: ${reason}` : `the local server exited (${signal ?? `code ${code}`}); see the Daytona log`)), 50);
      });
    });
  }

  /** SIGTERM and wait (briefly) so its sandboxes' processes are gone before VS Code exits. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timeout = new Promise<void>((r) => setTimeout(r, 5000).unref());
    await Promise.race([exited, timeout]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }

  dispose(): void {
    void this.stop();
  }
}
