// Content search (find), name search with globs (search) and literal replace across files.
import { ToolboxError } from "../contract";
import { checkedPath } from "./files";
import { query, readJson, sendJson, toToolboxError, type Ctx, type Route } from "./http";

const MAX_RESULTS = 10_000;

/** GET /files/find: lines containing `pattern` (literal text) in regular files under `path`. */
async function find(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const pattern = query(ctx, "pattern");
  const matches = await ctx.files.find(checkedPath(ctx, raw), pattern, MAX_RESULTS).catch((e) => Promise.reject(toToolboxError(e, raw)));
  sendJson(ctx.res, 200, matches);
}

/** A shell-style glob (*, ?, [...]) over one file name, like Go's filepath.Match. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith("!") || body.startsWith("^")) body = "^" + body.slice(1);
        re += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < glob.length) re += "\\" + glob[++i];
    else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** GET /files/search: paths under `path` whose name matches the glob. */
async function search(ctx: Ctx): Promise<void> {
  const raw = query(ctx, "path");
  const pattern = query(ctx, "pattern");
  let re: RegExp;
  try {
    re = globToRegExp(pattern);
  } catch {
    throw new ToolboxError(400, "BAD_REQUEST", `invalid pattern ${JSON.stringify(pattern)}`);
  }
  const files = await ctx.files.search(checkedPath(ctx, raw), re.source, MAX_RESULTS).catch((e) => Promise.reject(toToolboxError(e, raw)));
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
