// Directory copies for snapshots and forks: `cp --reflink=auto -a` (cheap on CoW file systems),
// run with an argument array, never a shell string; fs.cp where cp is missing.
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";

export async function copyDir(src: string, dest: string): Promise<void> {
  await fs.mkdir(dest, { recursive: true });
  try {
    await fs.access(src);
  } catch {
    return; // nothing to copy (an empty snapshot)
  }
  try {
    await new Promise<void>((resolve, reject) => {
      execFile("cp", ["--reflink=auto", "-a", "--", `${src}/.`, dest], (err, _out, stderr) => {
        if (err) reject(new Error(`cp failed: ${stderr.trim() || err.message}`));
        else resolve();
      });
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    await fs.cp(src, dest, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  }
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) total += await dirSize(p);
    else if (e.isFile()) total += (await fs.stat(p)).size;
  }
  return total;
}
