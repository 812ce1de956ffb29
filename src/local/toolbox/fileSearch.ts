// Content search (find), name search with globs (search) and literal replace across files.
import { ToolboxError } from "../contract";
import { checkedPath } from "./files";
import { MAX_GLOB_LENGTH, parseGlob } from "./glob";
import { query, readJson, sendJson, toToolboxError, type Ctx, type Route } from "./http";

const MAX_RESULTS = 10_000;

/** GET /files/find: lines containing `pattern` (literal text) in regular files under `path`. */
async function find(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const pattern = query(ctx, "pattern");
  const matches = await ctx.files.find(checkedPath(ctx, raw), pattern, MAX_RESULTS).catch((e) => Promise.reject(toToolboxError(e, raw)));
  sendJson(ctx.res, 200, matches);
}

/** GET /files/search: paths under `path` whose name matches the glob. */
async function search(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const pattern = query(ctx, "pattern");
  if (pattern.length > MAX_GLOB_LENGTH) throw new ToolboxError(400, "BAD_REQUEST", `pattern longer than ${MAX_GLOB_LENGTH} characters`);
  // Matched in the sandbox's agent by a linear walk over the tokens (no regular expression).
  const files = await ctx.files.search(checkedPath(ctx, raw), parseGlob(pattern), MAX_RESULTS).catch((e) => Promise.reject(toToolboxError(e, raw)));
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
  const paths = (files as string[]).map((f) => checkedPath(ctx, f));
  const results = await ctx.files.replace(paths, pattern, newValue);
  sendJson(ctx.res, 200, results.map((r, i) => ({ ...r, file: (files as string[])[i] })));
}

export const searchRoutes: Route[] = [
  { method: "GET", pattern: /^\/files\/find$/, handler: find },
  { method: "GET", pattern: /^\/files\/search$/, handler: search },
  { method: "POST", pattern: /^\/files\/replace$/, handler: replace },
];
