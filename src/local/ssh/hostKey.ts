// The gateway's host key: made once per data dir and kept, so ssh's known_hosts stays valid across
// restarts of the local server.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { utils } from "ssh2";

export async function loadOrCreateHostKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "ssh", "host_ed25519_key");
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    // Not made yet.
  }
  const pair = utils.generateKeyPairSync("ed25519");
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written whole to a temporary name, then linked into place: link fails with EEXIST when another
  // server on this data dir was first, and a reader never sees a half-written key (a plain "wx" write
  // is visible, empty, before its bytes are in).
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, pair.private, { mode: 0o600 });
  try {
    await fs.link(tmp, file);
    await fs.writeFile(`${file}.pub`, `${pair.public}\n`, { mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    await fs.rm(tmp, { force: true });
  }
  return fs.readFile(file, "utf8");
}
