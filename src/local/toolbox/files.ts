// File routes: list, info, folder, delete, move, permissions, single-file download. Every operation
// runs inside the sandbox as its user (SandboxFiles): the kernel decides what may be touched.
import * as path from "node:path";
import { text as streamText } from "node:stream/consumers";
import { ToolboxError } from "../contract";
import { fileInfo, type FileInfo } from "./fileInfo";
import { query, sendEmpty, sendJson, toToolboxError, type Ctx, type Route } from "./http";

const MAX_PATH = 4096;
const MAX_NAME = 255;

/** Checks the raw text of a client path (type, NUL bytes, lengths); returns it absolute and normalised. */
export function checkedPath(ctx: Ctx, raw: unknown): string {
  if (typeof raw !== "string" || raw === "") throw new ToolboxError(400, "BAD_REQUEST", "path is required");
  if (raw.includes("\0")) throw new ToolboxError(400, "BAD_REQUEST", "path contains a NUL byte");
  if (Buffer.byteLength(raw) > MAX_PATH) throw new ToolboxError(400, "BAD_REQUEST", "path is too long");
  if (raw.split("/").some((part) => Buffer.byteLength(part) > MAX_NAME)) throw new ToolboxError(400, "BAD_REQUEST", "a path component is longer than 255 bytes");
  return path.posix.resolve(ctx.home, raw);
}

/** The same check for a required query parameter. */
export function queryPath(ctx: Ctx, name = "path"): string {
  return checkedPath(ctx, query(ctx, name));
}

async function list(ctx: Ctx): Promise<void> {
  const raw = ctx.url.searchParams.get("path") || ctx.home;
  const depthText = ctx.url.searchParams.get("depth");
  const depth = depthText ? Number(depthText) : 1;
  if (!Number.isInteger(depth) || depth < 1) throw new ToolboxError(400, "BAD_REQUEST", "depth must be an integer of at least 1");
  const p = checkedPath(ctx, raw);
  const entries = await ctx.files.list(p, depth).catch((e) => Promise.reject(toToolboxError(e, raw)));
  const out: FileInfo[] = entries.map((e) => fileInfo(e, e.path));
  sendJson(ctx.res, 200, out);
}

async function info(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const st = await ctx.files.stat(checkedPath(ctx, raw)).catch((e) => Promise.reject(toToolboxError(e, raw)));
  sendJson(ctx.res, 200, fileInfo(st, st.path));
}

function parseMode(text: string | null, fallback: number): number {
  if (text === null || text === "") return fallback;
  if (!/^[0-7]{1,4}$/.test(text)) throw new ToolboxError(400, "BAD_REQUEST", `invalid mode: ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

async function createFolder(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const mode = parseMode(ctx.url.searchParams.get("mode"), 0o755);
  await ctx.files.mkdir(checkedPath(ctx, raw), mode).catch((e) => Promise.reject(toToolboxError(e, raw)));
  sendEmpty(ctx.res, 201);
}

async function remove(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const recursive = ctx.url.searchParams.get("recursive") === "true";
  const p = checkedPath(ctx, raw);
  if (p === "/" || p === ctx.home) throw new ToolboxError(403, "FORBIDDEN", `${raw} cannot be deleted`);
  try {
    await ctx.files.remove(p, recursive);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOTEMPTY") throw new ToolboxError(400, "BAD_REQUEST", `directory ${raw} is not empty (use recursive)`);
    throw toToolboxError(e, raw);
  }
  sendEmpty(ctx.res, 204);
}

async function move(ctx: Ctx): Promise<void> {
  const src = query(ctx, "source");
  const dst = query(ctx, "destination");
  const from = checkedPath(ctx, src);
  const to = checkedPath(ctx, dst);
  if (from === ctx.home || to === ctx.home) throw new ToolboxError(403, "FORBIDDEN", "the home directory cannot be moved");
  await ctx.files.move(from, to).catch((e) => Promise.reject(toToolboxError(e, `${src} -> ${dst}`)));
  sendEmpty(ctx.res, 200);
}

const OWNER_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/;

async function permissions(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const p = checkedPath(ctx, raw);
  const st = await ctx.files.stat(p).catch((e) => Promise.reject(toToolboxError(e, raw)));
  const modeText = ctx.url.searchParams.get("mode");
  const owner = ctx.url.searchParams.get("owner") || "";
  const group = ctx.url.searchParams.get("group") || "";
  for (const [what, v] of [["user", owner], ["group", group]]) {
    if (v && !OWNER_RE.test(v)) throw new ToolboxError(400, "BAD_REQUEST", `unknown ${what} ${JSON.stringify(v)}`);
  }
  // Daytona's daemon runs as root: ownership and mode can be set on any file of the sandbox. Here the
  // agent runs as the sandbox's user, so what needs root (chown; chmod of a file the user does not own)
  // runs as root inside the sandbox (the kernel still confines it to the sandbox; sudo works there too).
  if (owner || group) {
    const text = await runAsRoot(ctx, ["chown", "-h", "--", `${owner}${group ? `:${group}` : ""}`, p]);
    if (text !== undefined) throw new ToolboxError(/invalid (user|group)/.test(text) ? 400 : 403, /invalid (user|group)/.test(text) ? "BAD_REQUEST" : "FILE_ACCESS_DENIED", text);
  }
  if (modeText) {
    const mode = parseMode(modeText, st.mode & 0o7777);
    await ctx.files.chmod(p, mode).catch(async (e: NodeJS.ErrnoException) => {
      if (e?.code !== "EPERM") throw toToolboxError(e, raw);
      const text = await runAsRoot(ctx, ["chmod", "--", mode.toString(8), p]);
      if (text !== undefined) throw new ToolboxError(403, "FILE_ACCESS_DENIED", text);
    });
  }
  sendEmpty(ctx.res, 200);
}

/** Runs argv as root inside the sandbox; undefined on success, else its error text. */
async function runAsRoot(ctx: Ctx, argv: string[]): Promise<string | undefined> {
  const proc = await ctx.runtime.spawn(ctx.info, argv, { user: "root" });
  proc.stdin.end();
  proc.stdout.resume();
  // Read to its end: the exit can be known before the last bytes are delivered.
  const [err, code] = await Promise.all([streamText(proc.stderr).catch(() => ""), proc.exited]);
  if (code === 0) return undefined;
  return err.trim() || `${argv[0]} failed (exit ${code})`;
}

async function download(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const { stat, stream } = await ctx.files.read(checkedPath(ctx, raw)).catch((e) => Promise.reject(toToolboxError(e, raw)));
  ctx.res.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": stat.size,
    "content-disposition": `attachment; filename="${stat.name.replace(/["\\\r\n]/g, "_")}"`,
  });
  stream.pipe(ctx.res);
  stream.on("error", () => ctx.res.destroy());
  await new Promise<void>((r) => ctx.res.once("close", () => r()));
}

export const fileRoutes: Route[] = [
  { method: "GET", pattern: /^\/files\/?$/, handler: list },
  { method: "GET", pattern: /^\/files\/info$/, handler: info },
  { method: "POST", pattern: /^\/files\/folder$/, handler: createFolder },
  { method: "DELETE", pattern: /^\/files\/?$/, handler: remove },
  { method: "POST", pattern: /^\/files\/move$/, handler: move },
  { method: "POST", pattern: /^\/files\/permissions$/, handler: permissions },
  { method: "GET", pattern: /^\/files\/download$/, handler: download },
];
