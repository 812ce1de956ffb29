// The entrypoint session: Daytona's daemon runs the image's entrypoint (ENTRYPOINT + CMD, default
// `sleep infinity`) as a session named "entrypoint" with one command "entrypoint_command", whose logs
// can be read and followed like any session command's. Here the toolbox starts it the first time it
// serves a started sandbox, and drops it when the sandbox stops (its process dies with the sandbox's).
import type { SandboxProcess, SandboxRuntime, SandboxRuntimeInfo } from "../contract";
import { ignorePipeErrors } from "./http";
import { SessionCommand } from "./sessions";

export const ENTRYPOINT_SESSION = "entrypoint";
export const ENTRYPOINT_COMMAND = "entrypoint_command";
const DEFAULT_ENTRYPOINT = ["sleep", "infinity"];

/** How the daemon shows the entrypoint argv: every argument single-quoted ("'sleep' 'infinity'"). */
export function quoteArgv(argv: string[]): string {
  return argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
}

export class EntrypointSession {
  readonly command: SessionCommand;
  private proc: SandboxProcess | undefined;
  private killed = false;

  constructor(runtime: SandboxRuntime, info: SandboxRuntimeInfo) {
    const argv = info.entrypoint?.length ? info.entrypoint : DEFAULT_ENTRYPOINT;
    this.command = new SessionCommand(quoteArgv(argv), ENTRYPOINT_COMMAND);
    void this.start(runtime, info, argv);
  }

  private async start(runtime: SandboxRuntime, info: SandboxRuntimeInfo, argv: string[]): Promise<void> {
    try {
      const proc = await runtime.spawn(info, argv);
      if (this.killed) proc.kill("SIGKILL");
      this.proc = proc;
      ignorePipeErrors(proc);
      proc.stdin.end();
      proc.stdout.on("data", (d: Buffer) => this.command.append("stdout", d));
      proc.stderr.on("data", (d: Buffer) => this.command.append("stderr", d));
      void proc.exited.then((code) => setTimeout(() => this.command.end(code), 20));
    } catch (e) {
      // An entrypoint that cannot start ends at once, as a missing binary does in a shell.
      this.command.append("stderr", Buffer.from(`${e instanceof Error ? e.message : String(e)}\n`));
      this.command.end(127);
    }
  }

  kill(): void {
    this.killed = true;
    this.proc?.kill("SIGKILL");
  }

  toJSON() {
    return { sessionId: ENTRYPOINT_SESSION, commands: [this.command.toJSON()] };
  }
}
