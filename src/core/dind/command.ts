// A shell command as data: the argv the sandbox runs and how to read its output. Nothing here runs
// anything (runner.ts does), so every description is tested as plain data.

export interface Command<T = string> {
  /** Exact argv; the runner joins it with shellQuote, never by pasting. */
  argv: string[];
  /** Short human name for errors and logs, e.g. "compose up". */
  what: string;
  /** Seconds the command may run in the sandbox; absent = the toolbox default. */
  timeoutSeconds?: number;
  /** Exit codes that are not failures (default: only 0). */
  okExit?: readonly number[];
  /** Reads the merged stdout+stderr (trailing newline already stripped by the toolbox). */
  parse?(output: string, exitCode: number): T;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `env K=V ... argv`: environment through argv, no shell. Names are checked, values passed as they are. */
export function withEnv(env: Record<string, string>, argv: string[]): string[] {
  const keys = Object.keys(env).sort();
  if (keys.length === 0) return argv;
  for (const k of keys) if (!ENV_NAME.test(k)) throw new Error(`invalid environment variable name: ${JSON.stringify(k)}`);
  return ["env", ...keys.map((k) => `${k}=${env[k]}`), ...argv];
}

/**
 * An argv for the log: the values of a leading `env K=V ...` are hidden, since they are the compose
 * project's variables (read from .env, often passwords). Names stay, so the log still says what was set.
 */
export function redactEnv(argv: readonly string[]): string[] {
  if (argv[0] !== "env") return [...argv];
  let i = 1;
  while (i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i])) i++;
  return ["env", ...argv.slice(1, i).map((a) => `${a.slice(0, a.indexOf("="))}=***`), ...argv.slice(i)];
}

/** Service and project names as compose allows them; anything else is refused before it reaches a shell. */
export function checkName(kind: "project" | "service", name: string): string {
  const ok = kind === "project" ? /^[a-z0-9][a-z0-9_-]*$/ : /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
  if (!ok.test(name)) throw new Error(`invalid compose ${kind} name: ${JSON.stringify(name)}`);
  return name;
}

/** Container ids as docker prints them (short or full hex). */
export function checkContainerId(id: string): string {
  if (!/^[0-9a-f]{12,64}$/.test(id)) throw new Error(`invalid container id: ${JSON.stringify(id)}`);
  return id;
}
