// The runner keeps every failing command's argv and output; the upload layout keeps relative paths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { uploadLayout } from "../../../../src/core/dind/bringUp";
import { DindError, run } from "../../../../src/core/dind/runner";
import { composeUp } from "../../../../src/core/dind/commands";
import { hostTarget } from "./dockerHere";

test("a non-zero exit is a DindError with the argv and the whole output; okExit and parse apply", async () => {
  const host = hostTarget();
  const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
  const cmd = { argv: ["sh", "-c", 'printf "%s" "$1"; exit 3', "sh", long], what: "demo" };
  await assert.rejects(run(host, cmd), (e: unknown) => {
    assert.ok(e instanceof DindError);
    assert.equal(e.exitCode, 3);
    assert.equal(e.output, long);
    assert.deepEqual(e.argv, cmd.argv);
    assert.match(e.message, /^demo failed \(exit 3\):\n\.\.\.\nline 70\n/);
    return true;
  });
  assert.equal(await run(host, { ...cmd, okExit: [3], parse: (out, code) => `${code}:${out.length}` }), `3:${long.length}`);
  await assert.rejects(run(host, { argv: ["true"], what: "bad parse", parse: () => { throw new Error("nope"); } }), (e: unknown) => e instanceof DindError && e.message === "bad parse: nope");
  const down = { exec: () => Promise.reject(new Error("sandbox unreachable")) };
  const up = composeUp({ cli: { argv: ["docker", "compose"], v2: true, version: "v2" }, project: "p", projectDir: "/d", file: "/d/c.yaml", env: {} }, ["web"]);
  await assert.rejects(run(down, up), (e: unknown) => e instanceof DindError && e.message === "compose up: sandbox unreachable" && e.argv === up.argv);
});

test("upload layout: contexts outside the folder keep their place relative to it", () => {
  assert.deepEqual(uploadLayout("/w/app", [], "/home/u/p"), [{ local: "/w/app", remote: "/home/u/p" }]);
  assert.deepEqual(uploadLayout("/w/app", ["/w/app/api", "/w/lib", "/w/lib/sub"], "/home/u/p"), [
    { local: "/w/app", remote: "/home/u/p/app" },
    { local: "/w/lib", remote: "/home/u/p/lib" },
  ]);
  assert.deepEqual(uploadLayout("/w/a/b", ["/x/y"], "/r"), [
    { local: "/w/a/b", remote: "/r/w/a/b" },
    { local: "/x/y", remote: "/r/x/y" },
  ]);
  assert.deepEqual(uploadLayout("/w/app", ["/w/app"], "/r"), [{ local: "/w/app", remote: "/r" }]);
});
