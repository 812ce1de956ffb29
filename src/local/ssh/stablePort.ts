// The gateway's port is kept per data dir and asked for again at the next start, so the host
// entries written for a local sandbox (Port ...) stay right across restarts of the local server
// (and of VS Code). When that port is taken, any free one is used and remembered instead.
import { promises as fs } from "node:fs";
import * as path from "node:path";

export async function withStablePort<T extends { port: number }>(dataDir: string, start: (port: number) => Promise<T>): Promise<T> {
  const file = path.join(dataDir, "ssh", "port");
  const remembered = Number((await fs.readFile(file, "utf8").catch(() => "")).trim());
  let started: T | undefined;
  if (Number.isInteger(remembered) && remembered > 0 && remembered < 65536) {
    started = await start(remembered).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "EADDRINUSE" && err.code !== "EACCES") throw err;
      return undefined;
    });
  }
  started ??= await start(0);
  if (started.port !== remembered) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${started.port}\n`);
  }
  return started;
}
