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

test("gzip: a tar larger than several blocks leaves as gzip members in order, and tar -xz reads them as one archive", async (t) => {
  const tmp = fs.mkdtempSync(path.join(tmpdir(), "daytona-pack-gz-"));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const src = path.join(tmp, "src");
  fs.mkdirSync(src);
  // 6 files of 1 MiB of distinct, barely compressible bytes (more members than are compressed at once),
  // one of 5 MiB (streamed in chunks) and small ones (read synchronously).
  const entries: TarEntry[] = [];
  const add = (name: string, body: Buffer) => {
    fs.writeFileSync(path.join(src, name), body);
    entries.push({ path: name, type: "file", mode: 0o644, size: body.length, mtimeMs: Date.now() });
  };
  const noisy = (size: number, seed: number) => {
    const b = Buffer.allocUnsafe(size);
    let x = seed;
    for (let j = 0; j < size; j++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      b[j] = x >>> 24;
    }
    return b;
  };
  for (let i = 0; i < 6; i++) add(`big${i}.bin`, noisy(1 << 20, i + 1));
  add("huge.bin", noisy(5 << 20, 99));
  for (let i = 0; i < 50; i++) add(`small${i}.txt`, Buffer.from(`small ${i}\n`.repeat(i + 1)));
  const packed = packEntries(entries, { root: src, gzip: true });
  const pieces: Buffer[] = [];
  for await (const p of packed.stream) pieces.push(p as Buffer);
  // Each piece is one whole gzip member (magic 1f 8b, deflate).
  assert.ok(pieces.length >= 8, `${pieces.length} members`);
  for (const p of pieces) assert.deepEqual([...p.subarray(0, 3)], [0x1f, 0x8b, 8]);
  const out = path.join(tmp, "out");
  fs.mkdirSync(out);
  execFileSync("tar", ["-xzf", "-", "-C", out], { input: Buffer.concat(pieces), maxBuffer: 64 << 20 });
  for (const e of entries) {
    const want = fs.readFileSync(path.join(src, e.path));
    assert.ok(fs.readFileSync(path.join(out, e.path)).equals(want), e.path);
    assert.equal(packed.hashes.get(e.path)?.sha256, createHash("sha256").update(want).digest("hex"));
  }
});
