// The remote command as data, quoting of hostile text through a real shell, and the tar writer
// read back by GNU tar.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { shellJoin, shellQuote } from "../../../../src/core/shell/quote";
import { APPLY_SCRIPT, applyArgv, applyCommand } from "../../../../src/core/sync/apply";
import { END_OF_ARCHIVE, entryHeader, padding } from "../../../../src/core/sync/tar";

const HOSTILE = ["plain", "with space", "it's", `"dq"`, "$(touch /tmp/pwned-sync)", "`id`", "a\nb", "tab\there", "ünï €", "-rf", "", "*", "~", "semi;colon|pipe&", "\\back", "=ls"];

test("shellJoin: a shell splits the line back into exactly the argv", () => {
  for (const sh of ["sh", "bash"]) {
    const out = execFileSync(sh, ["-c", shellJoin(["printf", "%s\\0", ...HOSTILE])]).toString("utf8");
    assert.deepEqual(out.split("\0").slice(0, -1), HOSTILE, sh);
  }
  assert.equal(shellQuote("simple/path-1.txt"), "simple/path-1.txt");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  // zsh (Daytona's session shell) would expand a bare =ls to the path of ls.
  assert.equal(shellQuote("=ls"), "'=ls'");
  assert.throws(() => shellQuote("nul\0byte"), /NUL/);
});

test("apply command: fixed script, every variable value an argument", () => {
  const remoteDir = `/home/daytona/my app's $(dir)\n`;
  const argv = applyArgv({ remoteDir, baseHeader: "#daytona-sync-manifest 1 old", nextId: "new", archive: "incoming-new", payloadBytes: 1024, gzip: true,
    sections: { rm: Buffer.from("a\0"), rmdir: Buffer.alloc(0), drop: Buffer.from('"a"\n'), add: Buffer.from("x\n") } });
  assert.deepEqual(argv, ["sh", "-c", APPLY_SCRIPT, "daytona-sync", remoteDir, "#daytona-sync-manifest 1 old", "new", "incoming-new", "1024", "2", "0", "4", "z"]);
  assert.ok(!APPLY_SCRIPT.includes("daytona/my app"));
  const check = applyArgv({ remoteDir: "/r", baseHeader: "", nextId: "" });
  assert.deepEqual(check.slice(4), ["/r", "", "", "", "0", "0", "0", "0", ""]);
  // Through a real shell, the quoted line yields the same argv (sh -c sees the script untouched).
  const echoed = execFileSync("bash", ["-c", applyCommand({ remoteDir, baseHeader: "h", nextId: "n" }).replace(/^sh -c '[^']*(?:'\\''[^']*)*'/, `printf '%s\\0'`)]);
  assert.deepEqual(echoed.toString().split("\0").slice(0, -1), ["daytona-sync", remoteDir, "h", "n", "", "0", "0", "0", "0", ""]);
});

test("tar writer: long, non-ASCII, newline names and link targets read back by GNU tar", async (t) => {
  const dir = await fs.mkdtemp(path.join(tmpdir(), "sync-tar-"));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const long = "d/" + "x".repeat(150) + "/ü-" + "y".repeat(120) + ".txt";
  const files: [string, string, number][] = [["a b.txt", "one", 0o644], ["run.sh", "#!/bin/sh\n", 0o755], ["new\nline 'q' $(x).txt", "nl", 0o600], [long, "long", 0o644]];
  const parts: Buffer[] = [entryHeader({ path: "d", type: "dir", mode: 0o755, mtimeMs: 0 }), entryHeader({ path: "empty", type: "dir", mode: 0o700, mtimeMs: 0 })];
  for (const [p, c, mode] of files) {
    parts.push(entryHeader({ path: p, type: "file", mode, size: Buffer.byteLength(c), mtimeMs: 1_700_000_000_000 }), Buffer.from(c), padding(Buffer.byteLength(c)));
  }
  parts.push(entryHeader({ path: "lnk", type: "symlink", mode: 0o777, mtimeMs: 0, linkTarget: long }), END_OF_ARCHIVE);
  await fs.writeFile(path.join(dir, "a.tar"), Buffer.concat(parts));
  await fs.mkdir(path.join(dir, "out"));
  execFileSync("tar", ["-x", "-o", "-p", "-f", path.join(dir, "a.tar"), "-C", path.join(dir, "out")]);
  for (const [p, c, mode] of files) {
    assert.equal(await fs.readFile(path.join(dir, "out", p), "utf8"), c, p);
    const st = await fs.stat(path.join(dir, "out", p));
    assert.equal(st.mode & 0o777, mode, p);
    assert.equal(st.mtimeMs, 1_700_000_000_000);
  }
  assert.equal(await fs.readlink(path.join(dir, "out/lnk")), long);
  assert.equal((await fs.stat(path.join(dir, "out/empty"))).mode & 0o777, 0o700);
});
