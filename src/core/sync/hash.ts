// Content hashes for the diff. A file whose size and mtime equal the cached entry keeps its cached
// hash, so a re-sync reads only what was touched.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import * as path from "node:path";
import type { FileEntry, Manifest } from "./manifest";
import type { ScannedFile } from "./scan";

const PARALLEL = 16;

async function sha256File(abs: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(abs, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest("hex");
}

export interface HashOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far and bytes to hash in all. */
  onProgress?(done: number, total: number): void;
}

export async function hashFiles(
  root: string,
  files: ReadonlyMap<string, ScannedFile>,
  hints: Manifest | undefined,
  opts: HashOptions = {},
): Promise<Map<string, FileEntry>> {
  const out = new Map<string, FileEntry>();
  const todo: [string, ScannedFile][] = [];
  for (const [p, f] of files) {
    const hint = hints?.files.get(p);
    if (hint && hint.size === f.size && hint.mtimeMs === f.mtimeMs) out.set(p, { ...f, sha256: hint.sha256 });
    else todo.push([p, f]);
  }
  const total = todo.reduce((n, [, f]) => n + f.size, 0);
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      opts.signal?.throwIfAborted();
      const [p, f] = todo[next++];
      out.set(p, { ...f, sha256: await sha256File(path.join(root, p)) });
      done += f.size;
      opts.onProgress?.(done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, todo.length) }, worker));
  // Keep the scan's (sorted) order.
  return new Map([...files.keys()].map((p) => [p, out.get(p)!]));
}
