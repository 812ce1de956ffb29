// Files compose needs (env files, secrets, configs, build contexts, override files) that the folder's
// .gitignore / .daytonaignore leave out of the sync: uploaded anyway, each with a notice naming the
// path and the setting that needs it. Nothing of a file's content is ever logged (secrets).
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import * as path from "node:path";
import type { RequiredFile } from "../config/plan";
import { syncFolder, type SyncTarget } from "../sync";
import { isIgnoredBySync } from "../sync/ignoredPath";

export interface Placed {
  local: string;
  remote: string;
}

export async function uploadRequiredIgnored(
  target: SyncTarget,
  layout: readonly Placed[],
  required: readonly RequiredFile[],
  o: { log(line: string): void; signal?: AbortSignal; cacheDir?: string },
): Promise<RequiredFile[]> {
  const sent: RequiredFile[] = [];
  for (const r of required) {
    const root = layout.find((l) => r.path === l.local || r.path.startsWith(l.local + path.sep));
    if (!root || r.path === root.local) continue; // outside every uploaded folder, or a whole root: synced as it is
    const rel = path.relative(root.local, r.path).split(path.sep).join("/");
    const isDir = await stat(r.path).then((s) => s.isDirectory(), () => false);
    if (!(await isIgnoredBySync(root.local, rel, isDir))) continue;
    const remote = path.posix.join(root.remote, rel);
    o.log(`Uploading ${rel}${r.secret ? " (secret)" : ""} although .gitignore excludes it: compose needs it (${r.field})`);
    if (isDir) await syncFolder(target, r.path, remote, { cacheDir: o.cacheDir, signal: o.signal, outsideLinks: "skip" });
    else await target.upload(createReadStream(r.path), remote, o.signal);
    sent.push(r);
  }
  return sent;
}
