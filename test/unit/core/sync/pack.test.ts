// The packed stream: many small entries leave in pieces of at least 256 KiB (one zlib call each, not
// one per header), GNU tar reads the result back byte for byte, and the hashes match what was sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { packEntries } from "../../../../src/core/sync/pack";
import type { TarEntry } from "../../../../src/core/sync/tar";

test("small files are packed in large pieces and read back intact by GNU tar", async (t) => {
  const tmp = fs.mkdtempSync(path.join(tmpdir(), "daytona-pack-"));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const src = path.join(tmp, "src");
  fs.mkdirSync(path.join(src, "d"), { recursive: true });
  const entries: TarEntry[] = [{ path: "d", type: "dir", mode: 0o755, mtimeMs: Date.now() }];
  for (let i = 0; i < 300; i++) {
    const body = `file ${i} `.repeat(1 + (i % 97));
    fs.writeFileSync(path.join(src, "d", `f${i}.txt`), body);
    entries.push({ path: `d/f${i}.txt`, type: "file", mode: 0o644, size: Buffer.byteLength(body), mtimeMs: Date.now() });
  }
  for (const gzip of [false, true]) {
    const packed = packEntries(entries, { root: src, gzip });
    const pieces: Buffer[] = [];
    for await (const p of packed.stream) pieces.push(p as Buffer);
    const all = Buffer.concat(pieces);
    if (!gzip) {
      // Every piece but the last is at least 256 KiB (a piece larger than that may pass as it is).
      assert.ok(pieces.length >= 1 && pieces.length < 5, `${pieces.length} pieces for ${all.length} bytes`);
      for (const p of pieces.slice(0, -1)) assert.ok(p.length >= 256 * 1024, `piece of ${p.length}`);
    }
    const out = path.join(tmp, `out-${gzip}`);
    fs.mkdirSync(out);
    execFileSync("tar", [gzip ? "-xzf" : "-xf", "-", "-C", out], { input: all });
    for (let i = 0; i < 300; i += 37) {
      const want = fs.readFileSync(path.join(src, "d", `f${i}.txt`));
      assert.deepEqual(fs.readFileSync(path.join(out, "d", `f${i}.txt`)), want);
      assert.equal(packed.hashes.get(`d/f${i}.txt`)?.sha256, createHash("sha256").update(want).digest("hex"));
    }
  }
});
