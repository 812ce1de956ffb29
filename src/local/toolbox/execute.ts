// POST /process/execute and POST /process/code-run: one-shot commands in the sandbox.
import { ToolboxError, type SandboxRuntime, type SandboxRuntimeInfo } from "../contract";
import { ignorePipeErrors, invalidBody, optNumber, optString, optStringMap, readJson, sendJson, type Ctx, type Route } from "./http";

const MAX_OUTPUT = 16 * 1024 * 1024;

export interface RunResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

/**
 * Runs argv with stdout and stderr merged in order: a fixed `sh` wrapper redirects fd 2 onto fd 1
 * and execs the real argv (passed as arguments, never pasted into the script). Stdin is empty.
 * A positive timeout (seconds) kills the whole process tree.
 */
export async function runMerged(
  runtime: SandboxRuntime,
  info: SandboxRuntimeInfo,
  argv: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutSec?: number },
): Promise<RunResult> {
  const proc = await runtime.spawn(info, ["/bin/sh", "-c", 'exec "$@" 2>&1', "sh", ...argv], { cwd: opts.cwd, env: opts.env });
  ignorePipeErrors(proc);
  proc.stdin.end();
  const chunks: Buffer[] = [];
  let size = 0;
  proc.stdout.on("data", (d: Buffer) => {
    if (size < MAX_OUTPUT) chunks.push(d.subarray(0, MAX_OUTPUT - size));
    size += d.length;
  });
  proc.stderr.resume();
  let timedOut = false;
  const timer =
    opts.timeoutSec && opts.timeoutSec > 0
      ? setTimeout(() => {
          timedOut = true;
          proc.kill("SIGKILL");
        }, opts.timeoutSec * 1000)
      : undefined;
  const exitCode = await proc.exited;
  if (timer) clearTimeout(timer);
  // The stream may still hold the last bytes when the exit is known.
  if (!proc.stdout.readableEnded) {
    await new Promise<void>((r) => {
      proc.stdout.once("end", () => r());
      setTimeout(r, 1000).unref();
    });
  }
  return { exitCode, output: Buffer.concat(chunks).toString("utf8"), timedOut };
}

/**
 * The daemon runs a command inside the first shell the sandbox has of zsh, bash, sh (so `$$`, `$0` and
 * `~` are that shell's). Resolved inside the sandbox on every run: the image decides, not the host.
 * The command is eval'd rather than given to `-c` as is: a shell execs a lone simple command in place
 * of itself, and `readlink /proc/$$/exe` must still print the shell (as on Daytona). `set --` first
 * leaves the command no positional parameters.
 */
const EVAL_COMMAND = 'eval "set --\n$1"';
const IN_RESOLVED_SHELL = `for __s in zsh bash sh; do __p=$(command -v "$__s") && case "$__p" in /*) exec "$__p" -c '${EVAL_COMMAND}' "$__p" "$1";; esac; done; echo "no shell (zsh, bash, sh) in the sandbox" >&2; exit 127`;

export function inResolvedShell(command: string): string[] {
  return ["/bin/sh", "-c", IN_RESOLVED_SHELL, "sh", command];
}

export const EXECUTION_TIMEOUT = "command execution timeout";

async function execute(ctx: Ctx): Promise<void> {
  const body = await readJson(ctx.req);
  const command = optString(body, "command");
  // The daemon binds `command` as required: missing and empty are the same binding error.
  if (!command || !command.trim()) throw invalidBody("command is required");
  const timeout = optNumber(body, "timeout");
  const r = await runMerged(ctx.runtime, ctx.info, inResolvedShell(command), {
    cwd: optString(body, "cwd") || undefined,
    env: optStringMap(body, "envs"),
    timeoutSec: timeout,
  });
  if (r.timedOut) throw new ToolboxError(408, "PROCESS_EXECUTION_TIMEOUT", EXECUTION_TIMEOUT);
  // Output exactly as printed: a trailing newline is kept (`echo hello` gives "hello\n").
  sendJson(ctx.res, 200, { exitCode: r.exitCode, result: r.output });
}

/** Languages code-run knows: argv for running `code` (given as one argument) with extra argv after. */
const LANGUAGES: Record<string, (code: string, argv: string[]) => string[]> = {
  python: (code, argv) => ["python3", "-c", code, ...argv],
  javascript: (code, argv) => ["node", "-e", code, ...argv],
  // As the daemon: the code in a temp file run by `npx ts-node` transpile-only as CommonJS (Daytona's
  // image, like the local one, has ts-node and typescript installed globally), the file's own path taken
  // out of process.argv so the argv given start at process.argv[1].
  typescript: (code, argv) => [
    "/bin/sh",
    "-c",
    `_f=/tmp/dtn_$$.ts; printf '%s' "$1" > "$_f"; shift; npm_config_loglevel=error npx ts-node -T --ignore-diagnostics 5107 -O '{"module":"CommonJS"}' "$_f" "$@"; _dtn_ec=$?; rm -f "$_f"; exit $_dtn_ec`,
    "sh",
    `process.argv.splice(1, 1);\n${code}`,
    ...argv,
  ],
};

async function codeRun(ctx: Ctx): Promise<void> {
  const body = await readJson(ctx.req);
  const code = optString(body, "code");
  const language = optString(body, "language") ?? "";
  if (code === undefined) throw new ToolboxError(400, "BAD_REQUEST", "code is required");
  const build = Object.hasOwn(LANGUAGES, language) ? LANGUAGES[language] : undefined;
  if (!build) throw new ToolboxError(400, "BAD_REQUEST", `bad request: unsupported language: ${language}`);
  const argv = body.argv;
  if (argv !== undefined && argv !== null && (!Array.isArray(argv) || argv.some((a) => typeof a !== "string"))) {
    throw invalidBody("argv must be an array of strings");
  }
  const timeout = optNumber(body, "timeout");
  const r = await runMerged(ctx.runtime, ctx.info, build(code, (argv as string[] | undefined) ?? []), {
    env: optStringMap(body, "envs"),
    timeoutSec: timeout,
  });
  if (r.timedOut) throw new ToolboxError(408, "PROCESS_EXECUTION_TIMEOUT", EXECUTION_TIMEOUT);
  sendJson(ctx.res, 200, { exitCode: r.exitCode, result: r.output, artifacts: { charts: [] } });
}

export const executeRoutes: Route[] = [
  { method: "POST", pattern: /^\/process\/execute$/, handler: execute },
  { method: "POST", pattern: /^\/process\/code-run$/, handler: codeRun },
];
