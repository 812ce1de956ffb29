// The git routes (/git/...), run with the git CLI inside the sandbox as the sandbox's user: clone,
// init, status, branches, checkout, add, commit, push/pull, history, remotes, reset/restore, config.
// Credentials given to clone/push/pull are passed for that one command (never written to the
// repository's config); `credentials` stores them with git's own store helper, as the daemon does.
import { ToolboxError } from "../contract";
import { ignorePipeErrors, invalidBody, optNumber, optString, query, readJson, sendEmpty, sendJson, type Ctx, type Route } from "./http";
import { git, gitError, parseStatus, repoPath, runGit } from "./gitRun";

function need(body: Record<string, unknown>, name: string): string {
  const v = optString(body, name);
  if (!v) throw invalidBody(`${name} is required`);
  return v;
}

function optBool(body: Record<string, unknown>, name: string): boolean {
  const v = body[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw invalidBody(`${name} must be a boolean`);
  return v;
}

function stringList(body: Record<string, unknown>, name: string, required: boolean): string[] {
  const v = body[name];
  if ((v === undefined || v === null) && !required) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string") || (required && v.length === 0)) throw invalidBody(`${name} must be a non-empty array of strings`);
  return v as string[];
}

/** Config for one command that answers git's credential question with the given username/password. */
function credentialArgs(body: Record<string, unknown>): { args: string[]; env: Record<string, string> } {
  const username = optString(body, "username");
  const password = optString(body, "password");
  if (!username && !password) return { args: [], env: {} };
  // A helper that reads the secret from the environment: nothing lands in argv, config or disk.
  const helper = '!f() { test "$1" = get && printf "username=%s\\npassword=%s\\n" "$DAYTONA_GIT_USERNAME" "$DAYTONA_GIT_PASSWORD"; }; f';
  return { args: ["-c", "credential.helper=", "-c", `credential.helper=${helper}`], env: { DAYTONA_GIT_USERNAME: username ?? "", DAYTONA_GIT_PASSWORD: password ?? "" } };
}

const scope = (s: string | undefined) => (s === "local" ? "--local" : s === "system" ? "--system" : "--global");

/** The repository of a request: `path` in the body or the query, resolved under the home dir. */
async function repo(ctx: Ctx, p: string): Promise<string> {
  const dir = repoPath(ctx.runtime, ctx.info, p);
  const r = await runGit(ctx.runtime, ctx.info, ctx.runtime.homeDir(ctx.info), ["-C", dir, "rev-parse", "--git-dir"]);
  if (r.exitCode !== 0) {
    throw /cannot change to|No such file/i.test(r.stderr) ? new ToolboxError(404, "GIT_REPO_NOT_FOUND", `repository not found: ${p}`) : gitError(r, `repository ${p}`);
  }
  return dir;
}

type Handler = (ctx: Ctx, body: Record<string, unknown>, dir: string) => Promise<void>;

/** A POST/DELETE route whose body names the repository in `path`. */
function bodyRoute(method: string, pattern: RegExp, handler: Handler): Route {
  return {
    method,
    pattern,
    handler: async (ctx) => {
      const body = await readJson(ctx.req);
      await handler(ctx, body, await repo(ctx, need(body, "path")));
    },
  };
}

function queryRoute(pattern: RegExp, handler: (ctx: Ctx, dir: string) => Promise<void>): Route {
  return { method: "GET", pattern, handler: async (ctx) => handler(ctx, await repo(ctx, query(ctx, "path"))) };
}

const run = (ctx: Ctx, dir: string, args: string[], what: string, env?: Record<string, string>) => git(ctx.runtime, ctx.info, dir, args, what, env);

async function clone(ctx: Ctx): Promise<void> {
  const body = await readJson(ctx.req);
  const url = need(body, "url");
  const dest = repoPath(ctx.runtime, ctx.info, need(body, "path"));
  const branch = optString(body, "branch");
  const commit = optString(body, "commit_id");
  const depth = optNumber(body, "depth");
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 0)) throw invalidBody("depth must be a non-negative integer");
  const cred = credentialArgs(body);
  const args = [...cred.args, ...(optBool(body, "insecure_skip_tls") ? ["-c", "http.sslVerify=false"] : []), "clone"];
  if (branch) args.push("--branch", branch, "--single-branch");
  if (depth) args.push("--depth", String(depth));
  args.push("--", url, dest);
  const home = ctx.runtime.homeDir(ctx.info);
  const r = await runGit(ctx.runtime, ctx.info, home, args, cred.env);
  if (r.exitCode !== 0) {
    if (/already exists and is not an empty directory/.test(r.stderr)) throw new ToolboxError(409, "CONFLICT", `clone: ${r.stderr.trim()}`);
    if (branch && /Remote branch .* not found/.test(r.stderr)) throw new ToolboxError(404, "GIT_BRANCH_NOT_FOUND", `clone: ${r.stderr.trim()}`);
    throw gitError(r, "clone", [404, "GIT_REPO_NOT_FOUND"]);
  }
  if (commit) await run(ctx, dest, ["checkout", "--detach", commit], "checkout commit");
  sendEmpty(ctx.res, 200);
}

async function init(ctx: Ctx): Promise<void> {
  const body = await readJson(ctx.req);
  const dir = repoPath(ctx.runtime, ctx.info, need(body, "path"));
  const branch = optString(body, "initial_branch");
  const args = ["init", ...(optBool(body, "bare") ? ["--bare"] : []), ...(branch ? ["--initial-branch", branch] : []), "--", dir];
  await run(ctx, ctx.runtime.homeDir(ctx.info), args, "init");
  sendEmpty(ctx.res, 201);
}

async function branches(ctx: Ctx, dir: string): Promise<void> {
  const out = await run(ctx, dir, ["for-each-ref", "--format=%(refname:short)", "refs/heads"], "branches");
  const current = (await runGit(ctx.runtime, ctx.info, dir, ["symbolic-ref", "--quiet", "--short", "HEAD"])).stdout.trim();
  sendJson(ctx.res, 200, { branches: out.split("\n").filter(Boolean), ...(current ? { current } : {}) });
}

async function history(ctx: Ctx, dir: string): Promise<void> {
  const head = await runGit(ctx.runtime, ctx.info, dir, ["rev-parse", "--verify", "--quiet", "HEAD"]);
  if (head.exitCode !== 0) return sendJson(ctx.res, 200, []);
  const out = await run(ctx, dir, ["log", "--format=%H%x00%an%x00%ae%x00%aI%x00%B%x1e"], "history");
  const commits = out
    .split("\x1e")
    .map((rec) => rec.replace(/^\n/, ""))
    .filter(Boolean)
    .map((rec) => {
      const [hash, author, email, timestamp, message] = rec.split("\0");
      return { hash, author, email, timestamp, message: (message ?? "").replace(/\n+$/, "") };
    });
  sendJson(ctx.res, 200, commits);
}

async function remotes(ctx: Ctx, dir: string): Promise<void> {
  const out = await run(ctx, dir, ["remote", "-v"], "remotes");
  const seen = new Map<string, string>();
  for (const line of out.split("\n")) {
    const m = /^(\S+)\t(\S+) \(fetch\)$/.exec(line);
    if (m) seen.set(m[1], m[2]);
  }
  sendJson(ctx.res, 200, { remotes: [...seen].map(([name, url]) => ({ name, url })) });
}

async function getConfig(ctx: Ctx): Promise<void> {
  const key = query(ctx, "key");
  const p = ctx.url.searchParams.get("path");
  const s = ctx.url.searchParams.get("scope") ?? "global";
  const dir = s === "local" ? await repo(ctx, p ?? "") : ctx.runtime.homeDir(ctx.info);
  const r = await runGit(ctx.runtime, ctx.info, dir, ["config", scope(s), "--get", key]);
  if (r.exitCode !== 0 && r.exitCode !== 1) throw gitError(r, "config");
  sendJson(ctx.res, 200, r.exitCode === 0 ? { value: r.stdout.replace(/\n$/, "") } : {});
}

/** Config writes: global/system ones need no repository, local ones do. */
async function configDir(ctx: Ctx, body: Record<string, unknown>): Promise<string> {
  const s = optString(body, "scope") ?? "global";
  return s === "local" ? repo(ctx, need(body, "path")) : ctx.runtime.homeDir(ctx.info);
}

export const gitRoutes: Route[] = [
  { method: "POST", pattern: /^\/git\/clone$/, handler: clone },
  { method: "POST", pattern: /^\/git\/init$/, handler: init },
  queryRoute(/^\/git\/status$/, async (ctx, dir) => sendJson(ctx.res, 200, parseStatus(await run(ctx, dir, ["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all"], "status")))),
  queryRoute(/^\/git\/branches$/, branches),
  queryRoute(/^\/git\/history$/, history),
  queryRoute(/^\/git\/remotes$/, remotes),
  { method: "GET", pattern: /^\/git\/config$/, handler: getConfig },
  bodyRoute("POST", /^\/git\/branches$/, async (ctx, body, dir) => {
    await run(ctx, dir, ["checkout", "-b", need(body, "name")], "create branch");
    sendEmpty(ctx.res, 201);
  }),
  bodyRoute("DELETE", /^\/git\/branches$/, async (ctx, body, dir) => {
    const name = need(body, "name");
    const r = await runGit(ctx.runtime, ctx.info, dir, ["branch", "-D", "--", name]);
    if (r.exitCode !== 0) {
      if (/not found/.test(r.stderr)) throw new ToolboxError(404, "GIT_BRANCH_NOT_FOUND", `branch ${name} not found`);
      throw gitError(r, "delete branch", [409, "CONFLICT"]);
    }
    sendEmpty(ctx.res, 204);
  }),
  bodyRoute("POST", /^\/git\/checkout$/, async (ctx, body, dir) => {
    await run(ctx, dir, ["checkout", need(body, "branch"), "--"], "checkout");
    sendEmpty(ctx.res, 200);
  }),
  bodyRoute("POST", /^\/git\/add$/, async (ctx, body, dir) => {
    await run(ctx, dir, ["add", "--", ...stringList(body, "files", true)], "add");
    sendEmpty(ctx.res, 200);
  }),
  bodyRoute("POST", /^\/git\/commit$/, async (ctx, body, dir) => {
    const [author, email, message] = [need(body, "author"), need(body, "email"), need(body, "message")];
    const who = { GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: email };
    const r = await runGit(ctx.runtime, ctx.info, dir, ["commit", "--no-verify", "-m", message, ...(optBool(body, "allow_empty") ? ["--allow-empty"] : [])], who);
    if (r.exitCode !== 0) throw /nothing (added )?to commit|no changes added/.test(r.stdout + r.stderr) ? new ToolboxError(400, "BAD_REQUEST", "nothing to commit") : gitError(r, "commit");
    sendJson(ctx.res, 200, { hash: (await run(ctx, dir, ["rev-parse", "HEAD"], "commit")).trim() });
  }),
  bodyRoute("POST", /^\/git\/push$/, async (ctx, body, dir) => {
    const cred = credentialArgs(body);
    const branch = optString(body, "branch");
    const remote = optString(body, "remote") ?? (branch ? "origin" : undefined);
    const args = [...cred.args, "push", ...(optBool(body, "set_upstream") ? ["--set-upstream"] : []), ...(remote ? [remote] : []), ...(branch ? [branch] : [])];
    await run(ctx, dir, args, "push", cred.env);
    sendEmpty(ctx.res, 200);
  }),
  bodyRoute("POST", /^\/git\/pull$/, async (ctx, body, dir) => {
    const cred = credentialArgs(body);
    const branch = optString(body, "branch");
    const remote = optString(body, "remote") ?? (branch ? "origin" : undefined);
    await run(ctx, dir, [...cred.args, "pull", "--ff-only", ...(remote ? [remote] : []), ...(branch ? [branch] : [])], "pull", cred.env);
    sendEmpty(ctx.res, 200);
  }),
  bodyRoute("POST", /^\/git\/remotes$/, async (ctx, body, dir) => {
    const [name, url] = [need(body, "name"), need(body, "url")];
    const exists = (await runGit(ctx.runtime, ctx.info, dir, ["remote", "get-url", name])).exitCode === 0;
    if (exists && !optBool(body, "overwrite")) throw new ToolboxError(409, "CONFLICT", `remote ${name} already exists`);
    await run(ctx, dir, exists ? ["remote", "set-url", name, url] : ["remote", "add", name, url], "add remote");
    if (optBool(body, "fetch")) await run(ctx, dir, ["fetch", name], "fetch");
    sendEmpty(ctx.res, 201);
  }),
  bodyRoute("POST", /^\/git\/reset$/, async (ctx, body, dir) => {
    const files = stringList(body, "files", false);
    const mode = optString(body, "mode") ?? "mixed";
    if (!["soft", "mixed", "hard"].includes(mode)) throw invalidBody("mode must be soft, mixed or hard");
    const target = optString(body, "target") ?? "HEAD";
    await run(ctx, dir, files.length ? ["reset", target, "--", ...files] : ["reset", `--${mode}`, target], "reset");
    sendEmpty(ctx.res, 200);
  }),
  bodyRoute("POST", /^\/git\/restore$/, async (ctx, body, dir) => {
    const staged = optBool(body, "staged");
    const worktree = body.worktree === undefined || body.worktree === null ? !staged : optBool(body, "worktree");
    const source = optString(body, "source");
    const args = ["restore", ...(staged ? ["--staged"] : []), ...(worktree ? ["--worktree"] : []), ...(source ? ["--source", source] : []), "--", ...stringList(body, "files", true)];
    await run(ctx, dir, args, "restore");
    sendEmpty(ctx.res, 200);
  }),
  {
    method: "POST",
    pattern: /^\/git\/config$/,
    handler: async (ctx) => {
      const body = await readJson(ctx.req);
      await run(ctx, await configDir(ctx, body), ["config", scope(optString(body, "scope")), need(body, "key"), need(body, "value")], "config");
      sendEmpty(ctx.res, 200);
    },
  },
  {
    method: "POST",
    pattern: /^\/git\/config\/user$/,
    handler: async (ctx) => {
      const body = await readJson(ctx.req);
      const dir = await configDir(ctx, body);
      const s = scope(optString(body, "scope"));
      await run(ctx, dir, ["config", s, "user.name", need(body, "name")], "config user");
      await run(ctx, dir, ["config", s, "user.email", need(body, "email")], "config user");
      sendEmpty(ctx.res, 200);
    },
  },
  {
    method: "POST",
    pattern: /^\/git\/credentials$/,
    handler: async (ctx) => {
      const body = await readJson(ctx.req);
      const [username, password] = [need(body, "username"), need(body, "password")];
      const host = optString(body, "host") ?? "github.com";
      const protocol = optString(body, "protocol") ?? "https";
      if (/[\n\0]/.test(username + password + host + protocol)) throw invalidBody("credentials must not contain newlines");
      const home = ctx.runtime.homeDir(ctx.info);
      await run(ctx, home, ["config", "--global", "credential.helper", "store"], "credentials");
      await storeCredential(ctx, home, `protocol=${protocol}\nhost=${host}\nusername=${username}\npassword=${password}\n\n`);
      sendEmpty(ctx.res, 200);
    },
  },
];

/** Feeds a credential to `git credential approve` on stdin (secrets never in argv). */
async function storeCredential(ctx: Ctx, home: string, input: string): Promise<void> {
  const proc = await ctx.runtime.spawn(ctx.info, ["git", "credential", "approve"], { cwd: home, env: { GIT_TERMINAL_PROMPT: "0" } });
  ignorePipeErrors(proc);
  proc.stdout.resume();
  proc.stderr.resume();
  proc.stdin.end(input);
  const code = await proc.exited;
  if (code !== 0) throw new ToolboxError(500, "INTERNAL_SERVER_ERROR", `git credential approve exited with ${code}`);
}
