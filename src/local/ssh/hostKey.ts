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
  // "wx": two servers starting on one data dir at once keep the first key, not a torn one.
  try {
    await fs.writeFile(file, pair.private, { mode: 0o600, flag: "wx" });
    await fs.writeFile(`${file}.pub`, `${pair.public}\n`, { mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return fs.readFile(file, "utf8");
}
