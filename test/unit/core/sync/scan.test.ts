// Ignore rules and symlink policy, on real folders.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { hashFiles } from "../../../../src/core/sync/hash";
import { emptyManifest } from "../../../../src/core/sync/manifest";
import { scanFolder } from "../../../../src/core/sync/scan";

async function folder(t: { after(fn: () => Promise<void>): void }, files: Record<string, string>): Promise<string> {
  const root = await fs.mkdtemp(path.join(tmpdir(), "sync-scan-"));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  for (const [p, c] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, p)), { recursive: true });
    await fs.writeFile(path.join(root, p), c);
  }
  return root;
}

test("ignore rules: nested .gitignore relative to its folder, negation, .daytonaignore, .git", async (t) => {
  const root = await folder(t, {
    ".gitignore": "*.tmp\ndist/\nnode_modules\n/top-only.txt\n",
    ".daytonaignore": "!dist/\n.env\n!.git\n",
    "a.tmp": "", "top-only.txt": "", "deep/top-only.txt": "", ".env": "",
    "dist/bundle.js": "", "node_modules/x/index.js": "",
    "pkg/.gitignore": "!keep.tmp\n/local/\n",
    "pkg/keep.tmp": "", "pkg/drop.tmp": "", "pkg/local/x": "", "pkg/sub/local/y": "",
    "pkg/.daytonaignore": "sub/\n!sub/\n",
    ".git/config": "", "pkg/.git": "gitdir: ../.git/modules/pkg\n",
    "src/main.ts": "",
  });
  const s = await scanFolder(root);
  assert.deepEqual([...s.files.keys()], [
    ".daytonaignore", ".gitignore", "deep/top-only.txt", "dist/bundle.js",
    "pkg/.daytonaignore", "pkg/.gitignore", "pkg/keep.tmp", "pkg/sub/local/y", "src/main.ts",
  ]);
  assert.deepEqual(s.dirs, ["deep", "dist", "pkg", "pkg/sub", "pkg/sub/local", "src"]);
});

test("extra patterns and empty directories", async (t) => {
  const root = await folder(t, { "keep.txt": "", "coverage/lcov.info": "" });
  await fs.mkdir(path.join(root, "empty/deeper"), { recursive: true });
  const s = await scanFolder(root, { ignore: ["coverage/"] });
  assert.deepEqual([...s.files.keys()], ["keep.txt"]);
  assert.deepEqual(s.dirs, ["empty", "empty/deeper"]);
});

test("symlinks: inside kept, outside / absolute / escaping chains refused, dangling inside kept", async (t) => {
  const root = await folder(t, { "src/a.ts": "", "src/run.sh": "" });
  await fs.chmod(path.join(root, "src/run.sh"), 0o750);
  await fs.symlink("src/a.ts", path.join(root, "in"));
  await fs.symlink("../a.ts", path.join(root, "src/up-but-inside")); // src/../a.ts: lexically inside, dangling
  await fs.symlink("..", path.join(root, "src/parent")); // the root itself: inside
  await fs.symlink("../..", path.join(root, "src/grandparent"));
  await fs.symlink("/etc/hostname", path.join(root, "abs"));
  await fs.symlink(tmpdir(), path.join(root, "out-dir"));
  await fs.symlink("out-dir", path.join(root, "chain")); // inside lexically, resolves outside
  const s = await scanFolder(root);
  assert.deepEqual([...s.links], [["in", "src/a.ts"], ["src/parent", ".."], ["src/up-but-inside", "../a.ts"]]);
  assert.deepEqual(s.outsideLinks.map((l) => l.path), ["abs", "chain", "out-dir", "src/grandparent"]);
  assert.match(s.outsideLinks[0].reason, /absolute/);
  assert.match(s.outsideLinks[1].reason, /resolves outside/);
  assert.equal(s.files.get("src/run.sh")?.mode, 0o750);
});

test("hashing re-reads only files whose size or mtime moved", async (t) => {
  const root = await folder(t, { "a.txt": "aaa", "b.txt": "bbb" });
  const s = await scanFolder(root);
  const first = await hashFiles(root, s.files, undefined);
  assert.equal(first.get("a.txt")?.sha256, "9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0");
  // A cached entry with matching size+mtime is trusted (here deliberately wrong, to prove no read happened).
  const hints = emptyManifest("h");
  hints.files.set("a.txt", { ...first.get("a.txt")!, sha256: "f".repeat(64) });
  hints.files.set("b.txt", { ...first.get("b.txt")!, mtimeMs: 1, sha256: "f".repeat(64) });
  const second = await hashFiles(root, s.files, hints);
  assert.equal(second.get("a.txt")?.sha256, "f".repeat(64));
  assert.equal(second.get("b.txt")?.sha256, first.get("b.txt")?.sha256);
});
