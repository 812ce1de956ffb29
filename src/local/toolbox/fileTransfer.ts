// Bulk upload (multipart in, streamed into the sandbox) and bulk download (multipart out, streamed from it).
import busboy from "busboy";
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ToolboxError } from "../contract";
import { checkedPath } from "./files";
import { errorBody, readJson, sendEmpty, toToolboxError, type Ctx, type Route } from "./http";

const FIELD_RE = /^files\[(\d+)\]\.(path|file)$/;
const MAX_FILES = 10_000;

interface Pending {
  path?: string;
  /** The staged file's handle once its bytes are in the sandbox. */
  handle?: number;
}

/**
 * Parts arrive as `files[i].path` (text) and `files[i].file` (bytes). Each file body is streamed into
 * the sandbox and staged there (a hidden sibling of its destination); once the whole request has
 * arrived every staged file is moved into place in order, so a cut request applies nothing.
 */
async function bulkUpload(ctx: Ctx): Promise<void> {
  const items = new Map<number, Pending>();
  const writes: Promise<void>[] = [];
  const parts: Readable[] = [];
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: ctx.req.headers, preservePath: true, limits: { fields: MAX_FILES * 2, files: MAX_FILES, fieldSize: 64 * 1024 } });
  } catch (e) {
    throw new ToolboxError(400, "BAD_REQUEST", `invalid multipart request: ${(e as Error).message}`);
  }
  const item = (i: number) => {
    const it = items.get(i) ?? {};
    items.set(i, it);
    return it;
  };
  bb.on("field", (name, value) => {
    const m = FIELD_RE.exec(name);
    if (m && m[2] === "path") item(Number(m[1])).path = value;
  });
  bb.on("file", (name, stream) => {
    const m = FIELD_RE.exec(name);
    if (!m || m[2] !== "file") {
      stream.resume();
      return;
    }
    const it = item(Number(m[1]));
    if (it.path === undefined) {
      stream.resume();
      writes.push(Promise.reject(new ToolboxError(400, "BAD_REQUEST", `files[${m[1]}].path must come before files[${m[1]}].file`)));
      return;
    }
    parts.push(stream);
    const dest = checkedPath(ctx, it.path);
    const write = ctx.files.stage(dest, stream).then((h) => void (it.handle = h));
    // Awaited below only if the request body arrives whole: when the client aborts, the part stream
    // fails with the request's error, and an unawaited rejection would be an uncaught error.
    write.catch(() => stream.resume());
    writes.push(write);
  });
  const staged = () => [...items.values()].flatMap((it) => (it.handle === undefined ? [] : [it.handle]));
  try {
    await pipeline(ctx.req, bb);
    await Promise.all(writes);
    const order = [...items.entries()].sort((a, b) => a[0] - b[0]);
    for (const [i, it] of order) {
      if (it.path === undefined || it.handle === undefined) throw new ToolboxError(400, "BAD_REQUEST", `files[${i}] needs both path and file`);
    }
    await ctx.files.commit(order.map(([, it]) => it.handle!));
  } catch (e) {
    // A part cut off with the request ends nowhere by itself: end it, so its half-written file is
    // dropped in the sandbox; let the writes wind down so every staged file is known, then drop those.
    for (const p of parts) if (!p.readableEnded) p.destroy(new Error("the upload was cut off"));
    await Promise.race([Promise.allSettled(writes), new Promise((r) => setTimeout(r, 2000).unref())]);
    await ctx.files.discard(staged()).catch(() => undefined);
    throw e instanceof ToolboxError ? e : toToolboxError(e);
  }
  sendEmpty(ctx.res, 200);
}

/** A Content-Disposition parameter for a file name; RFC 5987 form as well when it is not plain ASCII. */
function filenameParams(name: string): string {
  // eslint-disable-next-line no-control-regex
  const quoted = `filename="${name.replace(/[\\"]/g, (c) => "\\" + c).replace(/[\x00-\x1f\x7f]/g, "_")}"`;
  if (/^[\x20-\x7e]*$/.test(name)) return quoted;
  // RFC 5987 attr-chars exclude ' ( ) * ! which encodeURIComponent leaves alone.
  const ext = encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${quoted}; filename*=utf-8''${ext}`;
}

async function bulkDownload(ctx: Ctx): Promise<void> {
  const body = await readJson(ctx.req);
  const paths = body.paths;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== "string")) throw new ToolboxError(400, "BAD_REQUEST", "paths must be an array of strings");
  const boundary = `daytona-${randomBytes(12).toString("hex")}`;
  const res = ctx.res;
  res.writeHead(200, { "content-type": `multipart/form-data; boundary=${boundary}` });
  const write = (chunk: string | Buffer) =>
    new Promise<void>((r) => {
      if (res.destroyed || res.write(chunk)) {
        r();
        return;
      }
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        r();
      };
      res.once("drain", done);
      res.once("close", done);
    });
  for (const p of paths as string[]) {
    if (res.destroyed) return;
    let opened: Awaited<ReturnType<Ctx["files"]["read"]>> | undefined;
    let failure: ToolboxError | undefined;
    try {
      opened = await ctx.files.read(checkedPath(ctx, p));
    } catch (e) {
      failure = toToolboxError(e, p);
    }
    if (!opened) {
      const json = JSON.stringify(errorBody(failure!, ctx.req));
      await write(`--${boundary}\r\nContent-Disposition: form-data; name="error"; ${filenameParams(p)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}\r\n`);
      continue;
    }
    await write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${filenameParams(p)}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${opened.stat.size}\r\n\r\n`);
    // The agent sends exactly `size` bytes even if the file changes meanwhile, so the framing stays valid.
    try {
      for await (const chunk of opened.stream) await write(chunk as Buffer);
    } catch {
      res.destroy();
      return;
    }
    await write("\r\n");
  }
  res.end(`--${boundary}--\r\n`);
}

export const transferRoutes: Route[] = [
  { method: "POST", pattern: /^\/files\/bulk-upload$/, handler: bulkUpload },
  { method: "POST", pattern: /^\/files\/bulk-download$/, handler: bulkDownload },
];
