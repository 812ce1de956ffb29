// Manifest form, diffing, and the remote patch reproducing the next manifest.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  applyPatch, diffManifests, droppedKeys, emptyManifest, manifestLine, parseManifest, serializeManifest, type Manifest,
} from "../../../../src/core/sync/manifest";
import { buildSections } from "../../../../src/core/sync/apply";

const sha = (c: string) => c.repeat(64);
function manifest(id: string, files: Record<string, [string, number?]>, links: Record<string, string> = {}, dirs: string[] = []): Manifest {
  const m = emptyManifest(id);
  for (const [p, [h, mode]] of Object.entries(files)) m.files.set(p, { size: 1, mode: mode ?? 0o644, mtimeMs: 1.5, sha256: sha(h) });
  for (const [p, l] of Object.entries(links)) m.links.set(p, l);
  for (const d of dirs) m.dirs.add(d);
  return m;
}

const HOSTILE = ["__proto__", "a\tb", "new\nline", "ü/ß.txt", "$(rm -rf ~)", "'q'\"", "-rf", "x\u2028y"];

test("serialized manifest is pure ASCII, one line per entry, and parses back", () => {
  const m = manifest("id-1", Object.fromEntries(HOSTILE.map((p) => [p, ["a", 0o755]])), { "lnk ü": "../t\nx" }, ["d ü"]);
  const text = serializeManifest(m);
  assert.match(text, /^[\x20-\x7e\t\n]*$/);
  assert.equal(text.split("\n").length, 1 + HOSTILE.length + 2 + 1);
  const back = parseManifest(text);
  assert.deepEqual(back, m);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "a\tb"), false);
});

test("a manifest with unsafe or malformed lines is rejected", () => {
  const head = "#daytona-sync-manifest 1 x\n";
  for (const bad of ['"../up"\t{"t":"d"}', '"/abs"\t{"t":"d"}', '"a/./b"\t{"t":"d"}', '"a"\t{"t":"f","h":"zz"}', '"a"{"t":"d"}', '"a"\t{"t":"q"}']) {
    assert.throws(() => parseManifest(head + bad + "\n"), /manifest line 2/, bad);
  }
  assert.throws(() => parseManifest("{}"), /not a daytona-sync manifest/);
});

test("diff: edits, mode changes, deletions, kind changes, directories deepest first", () => {
  const base = manifest("b", { "same": ["a"], "edit": ["a"], "chmod": ["a"], "gone": ["a"], "f2link": ["a"], "f2dir": ["a"], "d/x": ["a"] }, { "l2f": "t", "relink": "t1", "keep": "t" }, ["d", "d/e", "d/e/f", "stay"]);
  const next = manifest("n", { "same": ["a"], "edit": ["b"], "chmod": ["a", 0o755], "l2f": ["c"], "f2dir/inner": ["a"], "new": ["d"] }, { "f2link": "t", "relink": "t2", "keep": "t" }, ["stay", "f2dir", "fresh"]);
  const d = diffManifests(base, next);
  assert.deepEqual(d.upload.files.sort(), ["chmod", "edit", "f2dir/inner", "l2f", "new"]);
  assert.deepEqual(d.upload.links.sort(), ["f2link", "relink"]);
  assert.deepEqual(d.upload.dirs.sort(), ["f2dir", "fresh"]);
  assert.deepEqual(d.remove, ["d/x", "f2dir", "f2link", "gone", "l2f", "relink"]);
  assert.deepEqual(d.rmdirs, ["d/e/f", "d/e", "d"]);
  assert.deepEqual(diffManifests(next, next), { upload: { files: [], links: [], dirs: [] }, remove: [], rmdirs: [] });
});

test("the remote patch (drop touched keys, append new lines) turns base into next", () => {
  const base = manifest("b", Object.fromEntries(HOSTILE.map((p) => [p, ["a"]])), { lnk: "x" }, ["dir", "gone-dir"]);
  const next = manifest("n", { ...Object.fromEntries(HOSTILE.slice(2).map((p) => [p, ["a"]])), [HOSTILE[2]]: ["e"], added: ["c"] }, { lnk: "y" }, ["dir"]);
  const d = diffManifests(base, next);
  const s = buildSections(d, next);
  const patched = applyPatch(serializeManifest(base), droppedKeys(d), s.add.toString("ascii"), "n");
  assert.deepEqual(parseManifest(patched), next);
  // The sections: NUL-separated paths to remove, one manifest line per sent entry.
  assert.deepEqual(s.rm.toString("utf8").split("\0").slice(0, -1), d.remove);
  assert.deepEqual(s.add.toString("ascii").split("\n").slice(0, -1).sort(), [manifestLine("added", next), manifestLine(HOSTILE[2], next), manifestLine("lnk", next)].sort());
});
