// Build contexts uploaded through the S3 endpoint: <dataDir>/object-storage/<bucket>/<org>/<md5>/context.tar.
// A build extracts every context the request names into one directory.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as tar from "tar";

export const CONTEXT_BUCKET = "daytona-volume-builds";

export function objectPath(dataDir: string, bucket: string, key: string): string {
  const root = path.join(dataDir, "object-storage", bucket);
  const p = path.resolve(root, key);
  if (!p.startsWith(root + path.sep)) throw new Error(`object key escapes the bucket: ${key}`);
  return p;
}

export async function extractContexts(dataDir: string, organizationId: string, hashes: string[], dest: string): Promise<void> {
  await fs.mkdir(dest, { recursive: true });
  for (const hash of hashes) {
    if (!/^[0-9a-f]{32}$/.test(hash)) throw new Error(`bad context hash ${hash}`);
    const file = objectPath(dataDir, CONTEXT_BUCKET, `${organizationId}/${hash}/context.tar`);
    try {
      await fs.access(file);
    } catch {
      throw new Error(`build context ${hash} was not uploaded`);
    }
    // tar refuses absolute paths and ".." entries by default (preservePaths: false).
    await tar.x({ file, cwd: dest });
  }
}
