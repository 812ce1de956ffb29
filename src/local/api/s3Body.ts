// S3 object bodies straight to disk: a PUT (or an uploaded part) is streamed into a temp file next to
// its destination, with its MD5 taken on the way and aws-chunked framing decoded as it arrives, then
// renamed into place. Memory stays flat whatever the object's size.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import type { IncomingMessage } from "node:http";
import * as path from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { HttpError } from "../http/util";

/** Decodes "<hex size>[;ext]\r\n<data>\r\n" ... "0\r\n<trailers>\r\n\r\n" as it streams. */
export class AwsChunkedDecoder extends Transform {
  private head = "";
  private remaining = 0;
  private state: "head" | "data" | "crlf" | "done" = "head";
  private crlfLeft = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let i = 0;
    try {
      while (i < chunk.length && this.state !== "done") {
        if (this.state === "head") {
          const nl = chunk.indexOf(0x0a, i);
          const end = nl < 0 ? chunk.length : nl + 1;
          this.head += chunk.subarray(i, end).toString("latin1");
          i = end;
          if (this.head.length > 4096) throw new HttpError(400, "malformed aws-chunked header");
          if (nl < 0) break;
          const size = parseInt(this.head.trim().split(";")[0], 16);
          if (!Number.isFinite(size) || size < 0) throw new HttpError(400, "malformed aws-chunked size");
          this.head = "";
          if (size === 0) this.state = "done";
          else {
            this.remaining = size;
            this.state = "data";
          }
        } else if (this.state === "data") {
          const take = Math.min(this.remaining, chunk.length - i);
          this.push(chunk.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            this.state = "crlf";
            this.crlfLeft = 2;
          }
        } else {
          const take = Math.min(this.crlfLeft, chunk.length - i);
          i += take;
          this.crlfLeft -= take;
          if (this.crlfLeft === 0) this.state = "head";
        }
      }
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.state === "done" || (this.state === "head" && this.head === "") ? null : new HttpError(400, "truncated aws-chunked body"));
  }
}

/** Counts and hashes what passes; fails with 413 past `limit` bytes. */
class Tap extends Transform {
  readonly md5 = createHash("md5");
  size = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      done(new HttpError(413, "object too large"));
      return;
    }
    this.md5.update(chunk);
    done(null, chunk);
  }
}

function isAwsChunked(req: IncomingMessage): boolean {
  const enc = String(req.headers["content-encoding"] ?? "");
  const sha = String(req.headers["x-amz-content-sha256"] ?? "");
  return enc.includes("aws-chunked") || sha.startsWith("STREAMING-");
}

async function intoFile(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await write(tmp);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** Stream the request body (decoded) into `file`; returns its quoted MD5 ETag. */
export async function storeBody(req: IncomingMessage, file: string, limit: number): Promise<string> {
  const tap = new Tap(limit);
  await intoFile(file, (tmp) => (isAwsChunked(req) ? pipeline(req, new AwsChunkedDecoder(), tap, createWriteStream(tmp)) : pipeline(req, tap, createWriteStream(tmp))));
  return `"${tap.md5.digest("hex")}"`;
}

/** Concatenate part files into `file` by streaming; returns the MD5 ETag of the whole. */
export async function concatParts(parts: string[], file: string, limit: number): Promise<string> {
  const tap = new Tap(limit);
  await intoFile(file, async (tmp) => {
    const out = createWriteStream(tmp);
    tap.pipe(out);
    const finished = new Promise<void>((resolve, reject) => {
      out.once("finish", resolve);
      out.once("error", reject);
      tap.once("error", reject);
    });
    for (const p of parts) await pipeline(createReadStream(p), tap, { end: false });
    tap.end();
    await finished;
  });
  return `"${tap.md5.digest("hex")}"`;
}
