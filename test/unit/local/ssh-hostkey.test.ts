import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { utils } from "ssh2";
import { generateHostKey, loadOrCreateHostKey } from "../../../src/local/ssh/hostKey";

test("every generated host key is one ssh2 can read (its generator alone fails about 1 in 170)", () => {
  for (let i = 0; i < 1000; i++) assert.ok(!(utils.parseKey(generateHostKey().private) instanceof Error), `key ${i} is unreadable`);
});

test("a stored key is kept; an unreadable stored key is made again", async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "hostkey-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const first = await loadOrCreateHostKey(dir);
  assert.equal(await loadOrCreateHostKey(dir), first);
  const file = path.join(dir, "ssh", "host_ed25519_key");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n");
  const again = await loadOrCreateHostKey(dir);
  assert.notEqual(again, first);
  assert.ok(!(utils.parseKey(again) instanceof Error));
  assert.equal(await readFile(file, "utf8"), again);
});
