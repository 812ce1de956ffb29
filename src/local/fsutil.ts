// Removing the server's own scratch directories (build contexts, temp files).
import { promises as fs } from "node:fs";

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
