// The S3 subset @aws-sdk/client-s3 and lib-storage use for build contexts, path-style under /s3:
// ListObjectsV2, PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
// AbortMultipartUpload (and HeadObject/GetObject for completeness). Signatures are not verified;
// the session token is (auth.ts). Bodies in aws-chunked encoding are decoded.
import { randomUUID } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as path from "node:path";
import { HttpError, readBody } from "../http/util";
import { objectPath } from "../build/context";
import { concatParts, storeBody } from "./s3Body";
import type { ApiContext } from "./context";

const MAX_OBJECT = 2 * 1024 * 1024 * 1024;
const xmlEscape = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

export async function handleS3(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const parts = url.pathname.slice("/s3/".length).split("/");
  const bucket = decodeURIComponent(parts[0] ?? "");
  const segments = parts.slice(1).map(decodeSegment);
  const key = segments.join("/");
  if (!/^[a-z0-9][a-z0-9.-]{1,62}$/.test(bucket)) throw new HttpError(400, "invalid bucket");
  // Keys name files under the bucket: "." / ".." segments and NUL would leave it or break the path.
  if (segments.some((s) => s === "." || s === ".." || s.includes("\0") || s.includes("\\"))) throw new HttpError(400, `invalid object key ${JSON.stringify(key)}`);
  const q = url.searchParams;
  const method = req.method ?? "GET";
  if (!key) {
    if (method === "GET") return listObjects(ctx, res, bucket, q);
    if (method === "HEAD" || method === "PUT") return void res.writeHead(200).end();
    throw new HttpError(405, "unsupported bucket operation");
  }
  let file: string;
  try {
    file = objectPath(ctx.store.dataDir, bucket, key);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
  const uploadsDir = path.join(ctx.store.dataDir, "object-storage", ".uploads");
  if (method === "POST" && q.has("uploads")) {
    const uploadId = randomUUID();
    await fs.mkdir(path.join(uploadsDir, uploadId), { recursive: true });
    return xml(res, `<InitiateMultipartUploadResult ${XMLNS}><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`);
  }
  const uploadId = q.get("uploadId");
  if (uploadId !== null && !/^[0-9a-f-]{36}$/.test(uploadId)) throw new HttpError(400, "invalid uploadId");
  if (method === "PUT" && uploadId) {
    const partNumber = Number(q.get("partNumber"));
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) throw new HttpError(400, "invalid partNumber");
    const tag = await storeBody(req, path.join(uploadsDir, uploadId, String(partNumber)), MAX_OBJECT);
    res.writeHead(200, { etag: tag }).end();
    return;
  }
  if (method === "POST" && uploadId) {
    const doc = (await readBody(req)).toString("utf8");
    const numbers = [...doc.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
    const partFiles = numbers.map((n) => path.join(uploadsDir, uploadId, String(n)));
    for (const p of partFiles) await fs.access(p).catch(() => Promise.reject(new HttpError(400, `InvalidPart ${path.basename(p)}`)));
    const tag = await concatParts(partFiles, file, MAX_OBJECT);
    await fs.rm(path.join(uploadsDir, uploadId), { recursive: true, force: true });
    return xml(res, `<CompleteMultipartUploadResult ${XMLNS}><Location>${xmlEscape(url.href)}</Location><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(tag)}</ETag></CompleteMultipartUploadResult>`);
  }
  if (method === "DELETE" && uploadId) {
    await fs.rm(path.join(uploadsDir, uploadId), { recursive: true, force: true });
    res.writeHead(204).end();
    return;
  }
  if (method === "PUT") {
    const tag = await storeBody(req, file, MAX_OBJECT);
    res.writeHead(200, { etag: tag }).end();
    return;
  }
  if (method === "GET" || method === "HEAD") {
    let st;
    try {
      st = await fs.stat(file);
    } catch {
      throw new HttpError(404, "NoSuchKey");
    }
    res.writeHead(200, { "content-length": st.size, "content-type": "application/octet-stream" });
    if (method === "HEAD") return void res.end();
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
    return;
  }
  if (method === "DELETE") {
    await fs.rm(file, { force: true });
    res.writeHead(204).end();
    return;
  }
  throw new HttpError(405, "unsupported object operation");
}

async function listObjects(ctx: ApiContext, res: ServerResponse, bucket: string, q: URLSearchParams): Promise<void> {
  const prefix = q.get("prefix") ?? "";
  const maxKeys = Math.min(1000, Number(q.get("max-keys") ?? 1000) || 1000);
  const root = path.join(ctx.store.dataDir, "object-storage", bucket);
  const keys: { key: string; size: number; mtime: Date }[] = [];
  // Only walk the directory the prefix names (prefixes here are "<org>/<hash>/").
  const dirPart = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
  const start = objectPathOrRoot(root, dirPart);
  await walk(start, async (abs) => {
    const key = path.relative(root, abs).split(path.sep).join("/");
    if (key.startsWith(prefix) && keys.length < maxKeys) {
      const st = await fs.stat(abs);
      keys.push({ key, size: st.size, mtime: st.mtime });
    }
  });
  const contents = keys.map((k) => `<Contents><Key>${xmlEscape(k.key)}</Key><LastModified>${k.mtime.toISOString()}</LastModified><Size>${k.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join("");
  xml(res, `<ListBucketResult ${XMLNS}><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
}

function objectPathOrRoot(root: string, dir: string): string {
  const p = path.resolve(root, dir);
  return p === root || p.startsWith(root + path.sep) ? p : root;
}

async function walk(dir: string, visit: (file: string) => Promise<void>): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, visit);
    else if (e.isFile() && !e.name.endsWith(".tmp")) await visit(p);
  }
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, `invalid object key segment ${JSON.stringify(s)}`);
  }
}

function xml(res: ServerResponse, body: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
