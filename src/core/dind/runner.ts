// The one runner of command descriptions: exec on a Target (the DinD sandbox), exit code checked, output
// parsed. A failure keeps the command and everything it printed.
import type { ExecResult, Target } from "../targets/target";
import type { Command } from "./command";

export class DindError extends Error {
  override name = "DindError";
  constructor(
    message: string,
    /** The argv that failed, when a command did. */
    readonly argv?: readonly string[],
    readonly exitCode?: number,
    /** Its whole merged output. */
    readonly output?: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export type Exec = Pick<Target, "exec">;

/** Last lines of a long output, for messages (the full text stays on the error). */
export function tail(text: string, lines = 30): string {
  const all = text.trimEnd().split("\n");
  return all.length <= lines ? all.join("\n") : `...\n${all.slice(-lines).join("\n")}`;
}

/** Runs without judging the exit code; transport failures still throw (as DindError). */
export async function execRaw(target: Exec, cmd: Command<unknown>): Promise<ExecResult> {
  try {
    return await target.exec(cmd.argv, { timeoutSeconds: cmd.timeoutSeconds });
  } catch (err) {
    throw new DindError(`${cmd.what}: ${err instanceof Error ? err.message : String(err)}`, cmd.argv, undefined, undefined, err);
  }
}

export function check<T>(cmd: Command<T>, r: ExecResult): T {
  if (!(cmd.okExit ?? [0]).includes(r.exitCode)) {
    const out = r.output.trim();
    throw new DindError(`${cmd.what} failed (exit ${r.exitCode})${out ? `:\n${tail(out)}` : ""}`, cmd.argv, r.exitCode, r.output);
  }
  try {
    return cmd.parse ? cmd.parse(r.output, r.exitCode) : (undefined as T);
  } catch (err) {
    throw new DindError(`${cmd.what}: ${err instanceof Error ? err.message : String(err)}`, cmd.argv, r.exitCode, r.output, err);
  }
}

export async function run<T>(target: Exec, cmd: Command<T>): Promise<T> {
  return check(cmd, await execRaw(target, cmd));
}
