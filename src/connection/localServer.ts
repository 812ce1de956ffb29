// The "Local" profile's server: the project's local Daytona-compatible server (dist/local-server.js)
// started as a child process, its data in the extension's global storage, stopped on deactivate.
// An exit that stop() did not ask for is announced at once (onDidExit) so the connection can say so
// and restart it; a restart asks for the same port first, so the addresses that terminals, file
// watchers and the Explorer's daytona: folders hold stay valid.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as vscode from "vscode";

export interface LocalServerInfo {
  apiUrl: string;
  token: string;
}

const READY_TIMEOUT_MS = 20_000;

export interface LocalServerExit {
  /** "SIGKILL" or "code 1". */
  how: string;
  /** The last lines the server wrote to stderr (why it stopped, when it said). */
  lastLines: string[];
}

export class LocalServerProcess implements vscode.Disposable {
  private child?: ChildProcess;
  private ready?: Promise<LocalServerInfo>;
  private lastPort = 0;
  private readonly exited = new vscode.EventEmitter<LocalServerExit>();
  /** The server exited while it was meant to run (killed, crashed); not fired for stop(). */
  readonly onDidExit = this.exited.event;

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
    const port = this.lastPort;
    // The same port as before when it is free; any port when it is not.
    this.ready = this.spawn(token, port).catch((err: unknown) => (port ? this.spawn(token, 0) : Promise.reject(err)));
    this.ready.then((info) => (this.lastPort = Number(new URL(info.apiUrl).port) || 0)).catch(() => (this.ready = undefined));
    return this.ready;
  }

  private spawn(token: string, port: number): Promise<LocalServerInfo> {
    const script = path.join(this.extensionPath, "dist", "local-server.js");
    // The token goes through the environment, not argv, so it does not show in the process table.
    const child = spawn(process.execPath, [script, "--port", String(port), "--data", this.dataDir], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1", DAYTONA_LOCAL_TOKEN: token },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const stderr = readline.createInterface({ input: child.stderr! });
    // A start-up failure (no Docker engine, for example) is one "local-server: <why>" line: shown as it is.
    let reason: string | undefined;
    const lastLines: string[] = [];
    stderr.on("line", (line) => {
      lastLines.push(line);
      if (lastLines.length > 5) lastLines.shift();
      this.log.debug(`[local server] ${line}`);
      if (line.startsWith("local-server: ")) reason ??= line.slice("local-server: ".length);
    });
    let started = false;
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
          started = true;
          resolve(info);
        } catch {
          fail(new Error(`the local server printed an unexpected first line: ${line.slice(0, 200)}`));
        }
      });
      child.once("error", (err) => fail(new Error(`could not start the local server: ${err.message}`)));
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        const how = signal ?? `code ${code}`;
        const unexpected = this.child === child;
        if (unexpected) {
          this.child = undefined;
          if (started) this.ready = undefined;
        }
        this.log.info(`local server exited (${how})`);
        // Let the last stderr lines arrive before saying why.
        setTimeout(() => reject(new Error(reason ? `the local server could not start: ${reason}` : `the local server exited (${how}); see the Daytona log`)), 50);
        if (unexpected && started) this.exited.fire({ how, lastLines: [...lastLines] });
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

  /** The server's process id while it runs (for tests that kill it). */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  dispose(): void {
    this.exited.dispose();
    void this.stop();
  }
}
