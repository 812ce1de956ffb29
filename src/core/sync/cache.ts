// The local copy of the last applied manifest, one file per (target, local folder, remote folder) in a
// cache folder the caller owns (the extension passes its global storage folder).
import { createHash } from "node:crypto";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { parseManifest, serializeManifest, type Manifest } from "./manifest";

export function cacheFile(cacheDir: string, targetId: string, localDir: string, remoteDir: string): string {
  const key = createHash("sha256").update(JSON.stringify([targetId, path.resolve(localDir), remoteDir])).digest("hex");
  return path.join(cacheDir, `sync-${key.slice(0, 24)}.manifest`);
}

/** The cached manifest, or undefined when there is none or it cannot be read (then we ask the sandbox). */
export async function loadCachedManifest(file: string): Promise<Manifest | undefined> {
  try {
    return parseManifest(await fs.readFile(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** Written to a temporary name and renamed, so a crash never leaves a torn cache. */
export async function saveCachedManifest(file: string, m: Manifest): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, serializeManifest(m));
  await fs.rename(tmp, file);
}
