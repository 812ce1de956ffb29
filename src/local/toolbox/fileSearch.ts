// Content search (find), name search with globs (search) and literal replace across files.
import * as fs from "node:fs";
import * as path from "node:path";
import { ToolboxError } from "../contract";
import { insidePath, resolve } from "./files";
import { MAX_GLOB_LENGTH, matchTokens, parseGlob } from "./glob";
import { query, readJson, sendJson, toToolboxError, type Ctx, type Route } from "./http";

const MAX_RESULTS = 10_000;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Walks a directory tree without following symlinks; yields [hostPath, insidePath, stats]. */
async function* walkTree(hostRoot: string, insideRoot: string): AsyncGenerator<[string, string, fs.Stats]> {
  const stack: [string, string][] = [[hostRoot, insideRoot]];
  while (stack.length) {
    const [h, i] = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(h, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const e of entries) {
      const hp = path.join(h, e.name);
      const ip = path.posix.join(i, e.name);
      const st = await fs.promises.lstat(hp).catch(() => undefined);
      if (!st) continue;
      yield [hp, ip, st];
      if (st.isDirectory()) stack.push([hp, ip]);
    }
  }
}

async function rootFor(ctx: Ctx): Promise<[string, string, string]> {
  const raw = query(ctx, "path");
  const pattern = query(ctx, "pattern");
  const host = resolve(ctx, raw, "read");
  await fs.promises.stat(host).catch((e) => Promise.reject(toToolboxError(e, raw)));
  return [host, insidePath(ctx, raw), pattern];
}

/** GET /files/find: lines containing `pattern` (literal text) in regular files under `path`. */
async function find(ctx: Ctx): Promise<void> {
  const [host, inside, pattern] = await rootFor(ctx);
  const matches: { file: string; line: number; content: string }[] = [];
  const st = await fs.promises.stat(host);
  const files: AsyncIterable<[string, string, fs.Stats]> = st.isDirectory() ? walkTree(host, inside) : (async function* () { yield [host, inside, st] as [string, string, fs.Stats]; })();
  for await (const [hp, ip, fst] of files) {
    if (!fst.isFile() || fst.size > MAX_FILE_BYTES) continue;
    const buf = await fs.promises.readFile(hp).catch(() => undefined);
    if (!buf || buf.subarray(0, 8000).includes(0)) continue;
    const lines = buf.toString("utf8").split("\n");
    for (let n = 0; n < lines.length; n++) {
      if (lines[n].includes(pattern)) {
        matches.push({ file: ip, line: n + 1, content: lines[n].replace(/\r$/, "") });
        if (matches.length >= MAX_RESULTS) break;
      }
    }
    if (matches.length >= MAX_RESULTS) break;
  }
  sendJson(ctx.res, 200, matches);
}

/** GET /files/search: paths under `path` whose name matches the glob. */
async function search(ctx: Ctx): Promise<void> {
  const [host, inside, pattern] = await rootFor(ctx);
  if (pattern.length > MAX_GLOB_LENGTH) throw new ToolboxError(400, "BAD_REQUEST", `pattern longer than ${MAX_GLOB_LENGTH} characters`);
  const tokens = parseGlob(pattern);
  const files: string[] = [];
  for await (const [, ip] of walkTree(host, inside)) {
    if (matchTokens(tokens, path.posix.basename(ip))) files.push(ip);
    if (files.length >= MAX_RESULTS) break;
  }
  sendJson(ctx.res, 200, { files });
}

/** POST /files/replace {files, pattern, newValue}: literal replace-all in each file. */
async function replace(ctx: Ctx): Promise<void> {
  const body = await readJson(ctx.req);
  const { files, pattern, newValue } = body;
  if (!Array.isArray(files) || files.some((f) => typeof f !== "string") || typeof pattern !== "string" || typeof newValue !== "string") {
    throw new ToolboxError(400, "BAD_REQUEST", "files (string[]), pattern and newValue (strings) are required");
  }
  if (pattern === "") throw new ToolboxError(400, "BAD_REQUEST", "pattern must not be empty");
  const results: { file: string; success: boolean; error?: string }[] = [];
  for (const f of files as string[]) {
    try {
      const host = resolve(ctx, f, "write");
      // Regular files only: reading a FIFO made inside the sandbox would block.
      if (!(await fs.promises.stat(host)).isFile()) throw new ToolboxError(400, "BAD_REQUEST", `${f} is not a regular file`);
      const text = await fs.promises.readFile(host, "utf8");
      await fs.promises.writeFile(host, text.split(pattern).join(newValue));
      results.push({ file: f, success: true });
    } catch (e) {
      results.push({ file: f, success: false, error: toToolboxError(e, f).message });
    }
  }
  sendJson(ctx.res, 200, results);
}

export const searchRoutes: Route[] = [
  { method: "GET", pattern: /^\/files\/find$/, handler: find },
  { method: "GET", pattern: /^\/files\/search$/, handler: search },
  { method: "POST", pattern: /^\/files\/replace$/, handler: replace },
];
