// Bulk upload (multipart in, streamed to disk) and bulk download (multipart out, streamed from disk).
import busboy from "busboy";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { ToolboxError } from "../contract";
import { resolve } from "./files";
import { errorBody, readJson, sendEmpty, toToolboxError, type Ctx, type Route } from "./http";

const FIELD_RE = /^files\[(\d+)\]\.(path|file)$/;
const MAX_FILES = 10_000;

interface Pending {
  path?: string;
  staged?: string;
}

/**
 * Parts arrive as `files[i].path` (text) and `files[i].file` (bytes). Each file body is streamed to a
 * staging file in the sandbox's hidden scratch dir (same file system), then renamed into place once
 * both halves are known, so a half-written upload never shows at the destination.
 */
async function bulkUpload(ctx: Ctx): Promise<void> {
  const scratch = ctx.layout.scratch;
  await fs.promises.mkdir(scratch, { recursive: true });
  const items = new Map<number, Pending>();
  const writes: Promise<void>[] = [];
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
    const staged = path.join(scratch, `upload-${randomBytes(8).toString("hex")}`);
    item(Number(m[1])).staged = staged;
    const write = pipeline(stream, fs.createWriteStream(staged, { mode: 0o644 }));
    // Awaited below only if the request body arrives whole: when the client aborts, the part stream
    // fails with the request's error, and an unawaited rejection would be an uncaught error.
    write.catch(() => undefined);
    writes.push(write);
  });
  const cleanup = () => Promise.all([...items.values()].map((it) => (it.staged ? fs.promises.rm(it.staged, { force: true }) : undefined)));
  try {
    await pipeline(ctx.req, bb);
    await Promise.all(writes);
    for (const [i, it] of [...items.entries()].sort((a, b) => a[0] - b[0])) {
      if (it.path === undefined || it.staged === undefined) throw new ToolboxError(400, "BAD_REQUEST", `files[${i}] needs both path and file`);
      const dest = resolve(ctx, it.path, "write");
      const st = await fs.promises.stat(dest).catch(() => undefined);
      if (st?.isDirectory()) throw new ToolboxError(400, "BAD_REQUEST", `${it.path} is a directory`);
      await fs.promises.mkdir(path.dirname(dest), { recursive: true });
      await fs.promises.rename(it.staged, dest).catch((e) => Promise.reject(toToolboxError(e, it.path)));
      it.staged = undefined;
    }
  } catch (e) {
    // Let the part writes wind down (each ends with the request's error) so no staged file appears after the cleanup.
    await Promise.race([Promise.allSettled(writes), new Promise((r) => setTimeout(r, 2000).unref())]);
    await cleanup();
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
    let opened: { fd: fs.promises.FileHandle; size: number } | undefined;
    let failure: ToolboxError | undefined;
    try {
      const host = resolve(ctx, p, "read");
      // Checked before opening: opening a FIFO made inside the sandbox would block.
      if (!(await fs.promises.stat(host)).isFile()) throw new ToolboxError(400, "BAD_REQUEST", `${p} is not a regular file`);
      const fd = await fs.promises.open(host, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      opened = { fd, size: (await fd.stat()).size };
    } catch (e) {
      failure = toToolboxError(e, p);
    }
    if (!opened) {
      const json = JSON.stringify(errorBody(failure!, ctx.req));
      await write(`--${boundary}\r\nContent-Disposition: form-data; name="error"; ${filenameParams(p)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}\r\n`);
      continue;
    }
    await write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${filenameParams(p)}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${opened.size}\r\n\r\n`);
    // Exactly `size` bytes are sent even if the file changes meanwhile, so the framing stays valid.
    let left = opened.size;
    const buf = Buffer.allocUnsafe(256 * 1024);
    try {
      while (left > 0) {
        const { bytesRead } = await opened.fd.read(buf, 0, Math.min(buf.length, left), null);
        if (bytesRead === 0) {
          await write(Buffer.alloc(left));
          break;
        }
        left -= bytesRead;
        await write(Buffer.from(buf.subarray(0, bytesRead)));
      }
    } finally {
      await opened.fd.close();
    }
    await write("\r\n");
  }
  res.end(`--${boundary}--\r\n`);
}

export const transferRoutes: Route[] = [
  { method: "POST", pattern: /^\/files\/bulk-upload$/, handler: bulkUpload },
  { method: "POST", pattern: /^\/files\/bulk-download$/, handler: bulkDownload },
];
