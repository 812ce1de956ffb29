// Running git inside a sandbox for the git routes: stdout and stderr kept apart, git's failures
// answered with the daemon's typed codes (GIT_REPO_NOT_FOUND, GIT_BRANCH_EXISTS, ...), and `git
// status` parsed into Daytona's GitStatus.
import * as path from "node:path";
import { ToolboxError, type SandboxRuntime, type SandboxRuntimeInfo } from "../contract";
import { ignorePipeErrors } from "./http";

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Never prompt (a prompt would hang the request) and speak English (failures are matched on text). */
const GIT_ENV = { GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "", LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" };
const MAX_OUTPUT = 32 * 1024 * 1024;

/** A path given to a git route, as seen inside the sandbox (relative ones are under the home dir). */
export function repoPath(runtime: SandboxRuntime, info: SandboxRuntimeInfo, p: string): string {
  return path.posix.resolve(runtime.homeDir(info), p);
}

export async function runGit(
  runtime: SandboxRuntime,
  info: SandboxRuntimeInfo,
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<GitResult> {
  const proc = await runtime.spawn(info, ["git", "-c", "protocol.ext.allow=never", ...args], { cwd, env: { ...GIT_ENV, ...env } });
  ignorePipeErrors(proc);
  proc.stdin.end();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  const collect = (into: Buffer[]) => (d: Buffer) => {
    if (size < MAX_OUTPUT) into.push(d);
    size += d.length;
  };
  proc.stdout.on("data", collect(out));
  proc.stderr.on("data", collect(err));
  const exitCode = await proc.exited;
  await Promise.all(
    [proc.stdout, proc.stderr].map(
      (s) => new Promise<void>((r) => (!s || s.readableEnded || s.destroyed ? r() : (s.once("close", () => r()), setTimeout(r, 1000).unref()))),
    ),
  );
  return { exitCode, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

/** Git's failure as the daemon types it; `fallback` is the status/code when nothing more specific matches. */
export function gitError(r: GitResult, what: string, fallback: [number, string] = [400, "BAD_REQUEST"]): ToolboxError {
  const text = (r.stderr || r.stdout).trim();
  const message = `${what}: ${text.split("\n").filter(Boolean).slice(-3).join("; ") || `git exited with ${r.exitCode}`}`;
  const is = (re: RegExp) => re.test(text);
  if (is(/not a git repository/i)) return new ToolboxError(404, "GIT_REPO_NOT_FOUND", message);
  if (is(/Authentication failed|could not read (Username|Password)|terminal prompts disabled|Permission denied \(publickey/i)) return new ToolboxError(401, "GIT_AUTH_FAILED", message);
  if (is(/does not appear to be a git repository|repository .* not found|Could not read from remote repository/i)) return new ToolboxError(404, "GIT_REPO_NOT_FOUND", message);
  if (is(/Could not resolve host|unable to access|Connection refused|timed out|SSL certificate/i)) return new ToolboxError(502, "GIT_TRANSPORT_FAILED", message);
  if (is(/a branch named .* already exists|already exists$/im)) return new ToolboxError(409, "GIT_BRANCH_EXISTS", message);
  if (is(/would be overwritten by (checkout|merge)|Please commit your changes or stash them/i)) return new ToolboxError(409, "GIT_DIRTY_WORKTREE", message);
  if (is(/did not match any file\(s\) known to git|invalid reference|branch '.*' not found|Remote branch .* not found|couldn't find remote ref|not a valid (object|branch) name/i)) {
    return new ToolboxError(404, "GIT_BRANCH_NOT_FOUND", message);
  }
  if (is(/Not possible to fast-forward|CONFLICT|divergent branches|Automatic merge failed/i)) return new ToolboxError(409, "GIT_MERGE_CONFLICT", message);
  if (is(/\[remote rejected\]|pre-receive hook declined/i)) return new ToolboxError(409, "GIT_REMOTE_REJECTED", message);
  if (is(/\[rejected\]|failed to push some refs|non-fast-forward/i)) return new ToolboxError(409, "GIT_PUSH_REJECTED", message);
  return new ToolboxError(fallback[0], fallback[1], message);
}

/** Runs git and throws the typed error when it fails. */
export async function git(runtime: SandboxRuntime, info: SandboxRuntimeInfo, cwd: string, args: string[], what: string, env?: Record<string, string>): Promise<string> {
  const r = await runGit(runtime, info, cwd, args, env);
  if (r.exitCode !== 0) throw gitError(r, what);
  return r.stdout;
}

const STATUS_WORDS: Record<string, string> = {
  ".": "Unmodified",
  " ": "Unmodified",
  M: "Modified",
  T: "Modified",
  A: "Added",
  D: "Deleted",
  R: "Renamed",
  C: "Copied",
  U: "Updated but unmerged",
  "?": "Untracked",
};

export interface FileStatus {
  name: string;
  staging: string;
  worktree: string;
  extra: string;
}

export interface GitStatus {
  currentBranch: string;
  fileStatus: FileStatus[];
  ahead: number;
  behind: number;
  branchPublished: boolean;
  upstream?: string;
  detached: boolean;
}

/** Parses `git status --porcelain=v2 --branch -z`. */
export function parseStatus(out: string): GitStatus {
  const st: GitStatus = { currentBranch: "", fileStatus: [], ahead: 0, behind: 0, branchPublished: false, detached: false };
  const fields = out.split("\0");
  let oid = "";
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (!f) continue;
    if (f.startsWith("# branch.oid ")) oid = f.slice(13);
    else if (f.startsWith("# branch.head ")) {
      const head = f.slice(14);
      st.detached = head === "(detached)";
      st.currentBranch = st.detached ? oid.slice(0, 7) : head;
    } else if (f.startsWith("# branch.upstream ")) {
      st.upstream = f.slice(18);
      st.branchPublished = true;
    } else if (f.startsWith("# branch.ab ")) {
      const m = /\+(\d+) -(\d+)/.exec(f);
      if (m) [st.ahead, st.behind] = [Number(m[1]), Number(m[2])];
    } else if (f.startsWith("? ") || f.startsWith("! ")) {
      const word = f[0] === "?" ? "Untracked" : "Unmodified";
      if (f[0] === "?") st.fileStatus.push({ name: f.slice(2), staging: word, worktree: word, extra: "" });
    } else if (/^[12u] /.test(f)) {
      const parts = f.split(" ");
      const xy = parts[1];
      // Ordinary (1): 8 fields then the path; renamed/copied (2): 9 fields, then the path and (next NUL field) the source; unmerged (u): 10.
      const skip = f[0] === "1" ? 8 : f[0] === "2" ? 9 : 10;
      const name = parts.slice(skip).join(" ");
      const extra = f[0] === "2" ? (fields[++i] ?? "") : "";
      const word = (c: string) => (f[0] === "u" ? "Updated but unmerged" : (STATUS_WORDS[c] ?? "Modified"));
      st.fileStatus.push({ name, staging: word(xy[0]), worktree: word(xy[1]), extra });
    }
  }
  return st;
}
