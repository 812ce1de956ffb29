// Atomic file writes (temp file in the same directory, then rename) and a per-path queue so two
// writes of one record never interleave.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";

const queues = new Map<string, Promise<void>>();

export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const prev = queues.get(file) ?? Promise.resolve();
  const next = prev.then(async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  });
  const settled = next.catch(() => undefined);
  queues.set(file, settled);
  void settled.then(() => {
    if (queues.get(file) === settled) queues.delete(file);
  });
  return next;
}

/** Remove a file after any queued write of it has landed. */
export async function removeFileQueued(file: string): Promise<void> {
  await (queues.get(file) ?? Promise.resolve());
  await fs.rm(file, { force: true });
}

/** Wait until every queued write has landed (shutdown). */
export async function flushWrites(): Promise<void> {
  await Promise.all([...queues.values()]);
}
