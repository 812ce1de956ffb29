// Issue 18 finding 14: names that come from a sandbox or a service never become paths outside the
// folder they were listed in, and a file name cannot forge entries in a service listing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { listDir } from "../../../src/core/dind/serviceCommands";
import { badRemoteName, checkRemoteName, listableEntries, UnsafeRemoteNameError } from "../../../src/core/targets/remoteName";

test("finding 14: remote names are one plain segment or refused", () => {
  for (const bad of ["..", ".", "", "../../x", "a/b", "a\\b", "x\0y", "line\nbreak", "bell\x07", "del\x7f"]) {
    assert.ok(badRemoteName(bad), JSON.stringify(bad));
    assert.throws(() => checkRemoteName(bad, "daytona://sb/home"), UnsafeRemoteNameError);
  }
  for (const ok of ["a", ".env", "..hidden", "naïve.txt", "with space", "-dash", "a..b"]) assert.equal(checkRemoteName(ok, "x"), ok);
  const dropped: string[] = [];
  const kept = listableEntries([["ok", 1], ["..", 2], ["../../etc", 3], ["a\0b", 4], ["new\nline", 5]], (n) => dropped.push(n));
  assert.deepEqual(kept.map(([n]) => n), ["ok", "new\nline"]);
  assert.deepEqual(dropped, ["..", "../../etc", "a\0b"]);
});

test("finding 14: a file name cannot forge entries in a service listing", () => {
  // The listing script is run here with the host's sh and coreutils, as a container's would.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dt-names-"));
  try {
    const hostile = "a\n\u0001L|81a4|99|0|root|root|evil\n\u0001L|41ed|0|0|root|root|..";
    fs.writeFileSync(path.join(dir, hostile), "x");
    fs.writeFileSync(path.join(dir, "normal.txt"), "hello");
    fs.symlinkSync("normal.txt", path.join(dir, "link"));
    const cmd = listDir("a1b2c3d4e5f6", dir);
    const script = cmd.argv[cmd.argv.indexOf("-c") + 1];
    const out = execFileSync("sh", ["-c", script, "sh", "list", dir], { encoding: "utf8" });
    const recs = cmd.parse!(out, 0);
    assert.deepEqual(recs.map((r) => r.name).sort(), [hostile, "link", "normal.txt"].sort());
    assert.equal(recs.find((r) => r.name === "normal.txt")?.size, 5);
    assert.equal(recs.find((r) => r.name === hostile)?.size, 1);
    assert.ok(recs.find((r) => r.name === "link")?.targetMode !== undefined, "a link's target is still read");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
