// File routes: list, info, folder, delete, move, permissions, single-file download.
import * as fs from "node:fs";
import * as path from "node:path";
import { ToolboxError } from "../contract";
import { isMountRoot } from "../runtime/resolvePath";
import { fileInfo, lookupId, type FileInfo } from "./fileInfo";
import { query, sendEmpty, sendJson, toToolboxError, type Ctx, type Route } from "./http";

const MAX_LIST_ENTRIES = 100_000;
const LSTAT_BATCH = 500;

export function resolve(ctx: Ctx, p: string, access: "read" | "write"): string {
  return ctx.runtime.resolvePath(ctx.info, p, access);
}

/** In-sandbox absolute form of a client path (for `path` fields in answers). */
export function insidePath(ctx: Ctx, p: string): string {
  return path.posix.resolve(ctx.layout.homeInside, p);
}

async function list(ctx: Ctx): Promise<void> {
  const raw = ctx.url.searchParams.get("path") || ctx.layout.homeInside;
  const depthText = ctx.url.searchParams.get("depth");
  const depth = depthText ? Number(depthText) : 1;
  if (!Number.isInteger(depth) || depth < 1) throw new ToolboxError(400, "BAD_REQUEST", "depth must be an integer of at least 1");
  const host = resolve(ctx, raw, "read");
  const st = await fs.promises.stat(host).catch((e) => Promise.reject(toToolboxError(e, raw)));
  if (!st.isDirectory()) throw new ToolboxError(400, "BAD_REQUEST", `not a directory: ${raw}`);
  const base = insidePath(ctx, raw);
  const out: FileInfo[] = [];
  const walk = async (hostDir: string, insideDir: string, level: number): Promise<void> => {
    const entries = await fs.promises.readdir(hostDir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 0; i < entries.length; i += LSTAT_BATCH) {
      // One awaited lstat per entry cost a thread-pool hop each (10,000 entries: 1-3 s on 2 busy
      // cores); lstatSync in batches takes a tenth of that, and the batches let other requests in.
      if (i > 0) await new Promise((r) => setImmediate(r));
      for (const e of entries.slice(i, i + LSTAT_BATCH)) {
        if (out.length >= MAX_LIST_ENTRIES) return;
        // Plain concatenation: both sides are normalized already, and path.join per entry showed in profiles.
        const h = hostDir.endsWith("/") ? hostDir + e.name : `${hostDir}/${e.name}`;
        const inside = insideDir.endsWith("/") ? insideDir + e.name : `${insideDir}/${e.name}`;
        const est = fs.lstatSync(h, { throwIfNoEntry: false });
        if (!est) continue; // removed since the readdir
        out.push(fileInfo(e.name, est, inside));
        if (level < depth && est.isDirectory()) await walk(h, inside, level + 1);
      }
    }
  };
  await walk(host, base, 1);
  sendJson(ctx.res, 200, out);
}

async function info(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const host = resolve(ctx, raw, "read");
  const st = await fs.promises.stat(host).catch((e) => Promise.reject(toToolboxError(e, raw)));
  sendJson(ctx.res, 200, fileInfo(path.posix.basename(insidePath(ctx, raw)) || "/", st, insidePath(ctx, raw)));
}

function parseMode(text: string | null, fallback: number): number {
  if (text === null || text === "") return fallback;
  if (!/^[0-7]{1,4}$/.test(text)) throw new ToolboxError(400, "BAD_REQUEST", `invalid mode: ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

async function createFolder(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const mode = parseMode(ctx.url.searchParams.get("mode"), 0o755);
  const host = resolve(ctx, raw, "write");
  await fs.promises.mkdir(host, { recursive: true, mode }).catch((e) => Promise.reject(toToolboxError(e, raw)));
  await fs.promises.chmod(host, mode);
  sendEmpty(ctx.res, 201);
}

async function remove(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const recursive = ctx.url.searchParams.get("recursive") === "true";
  const host = resolve(ctx, raw, "write");
  if (isMountRoot(ctx.layout, host)) throw new ToolboxError(403, "FORBIDDEN", `${raw} cannot be deleted`);
  const st = await fs.promises.lstat(host).catch((e) => Promise.reject(toToolboxError(e, raw)));
  try {
    if (st.isDirectory()) {
      if (recursive) await fs.promises.rm(host, { recursive: true, force: true });
      else await fs.promises.rmdir(host);
    } else {
      await fs.promises.unlink(host);
    }
  } catch (e) {
    const te = toToolboxError(e, raw);
    if ((e as NodeJS.ErrnoException).code === "ENOTEMPTY") {
      throw new ToolboxError(400, "BAD_REQUEST", `directory ${raw} is not empty (use recursive)`);
    }
    throw te;
  }
  sendEmpty(ctx.res, 204);
}

async function move(ctx: Ctx): Promise<void> {
  const src = query(ctx, "source");
  const dst = query(ctx, "destination");
  const from = resolve(ctx, src, "write");
  const to = resolve(ctx, dst, "write");
  if (isMountRoot(ctx.layout, from) || isMountRoot(ctx.layout, to)) throw new ToolboxError(403, "FORBIDDEN", "a sandbox root directory cannot be moved");
  await fs.promises.lstat(from).catch((e) => Promise.reject(toToolboxError(e, src)));
  await fs.promises.rename(from, to).catch((e) => Promise.reject(toToolboxError(e, `${src} -> ${dst}`)));
  sendEmpty(ctx.res, 200);
}

async function permissions(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const host = resolve(ctx, raw, "write");
  const st = await fs.promises.stat(host).catch((e) => Promise.reject(toToolboxError(e, raw)));
  const modeText = ctx.url.searchParams.get("mode");
  const owner = ctx.url.searchParams.get("owner");
  const group = ctx.url.searchParams.get("group");
  const uid = owner ? lookupId("user", owner) : -1;
  const gid = group ? lookupId("group", group) : -1;
  if (uid === undefined) throw new ToolboxError(400, "BAD_REQUEST", `unknown user ${JSON.stringify(owner)}`);
  if (gid === undefined) throw new ToolboxError(400, "BAD_REQUEST", `unknown group ${JSON.stringify(group)}`);
  if (modeText) await fs.promises.chmod(host, parseMode(modeText, st.mode & 0o7777));
  if (uid !== -1 || gid !== -1) await fs.promises.chown(host, uid, gid).catch((e) => Promise.reject(toToolboxError(e, raw)));
  sendEmpty(ctx.res, 200);
}

async function download(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const host = resolve(ctx, raw, "read");
  const st = await fs.promises.stat(host).catch((e) => Promise.reject(toToolboxError(e, raw)));
  if (!st.isFile()) throw new ToolboxError(400, "BAD_REQUEST", `${raw} is not a regular file`);
  const stream = fs.createReadStream(host);
  await new Promise<void>((resolveOpen, reject) => {
    stream.once("open", () => resolveOpen());
    stream.once("error", (e) => reject(toToolboxError(e, raw)));
  });
  ctx.res.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": st.size,
    "content-disposition": `attachment; filename="${path.basename(host).replace(/["\\\r\n]/g, "_")}"`,
  });
  stream.pipe(ctx.res);
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
