// Issue 18 finding 4: /files/search globs match in linear time and never block the event loop: a
// backtracking pattern on a long name answers fast, and another request is not held up meanwhile.
import { test } from "node:test";
import assert from "node:assert/strict";
import { globMatch } from "../../../src/local/toolbox/glob";
import { startTestServer } from "../local/helpers";

test("finding 4: glob matching is linear and the server stays responsive", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ name: "glob" });
  const long = "a".repeat(250);
  await sb.fs.uploadFile(Buffer.from("x"), `/home/daytona/${long}`);
  const t0 = Date.now();
  const pending = sb.fs.searchFiles("/home/daytona", "*a*a*a*a*a*a*b");
  // A second request while the search runs must answer quickly.
  const t1 = Date.now();
  await sb.fs.getFileDetails("/home/daytona");
  const other = Date.now() - t1;
  const found = await pending;
  const took = Date.now() - t0;
  assert.deepEqual(found.files, []);
  assert.ok(took < 2000, `search took ${took} ms`);
  assert.ok(other < 1000, `another request waited ${other} ms`);
  assert.deepEqual((await sb.fs.searchFiles("/home/daytona", "a*a")).files, [`/home/daytona/${long}`]);
});

test("finding 4: glob semantics (*, ?, classes, escapes) as Go's filepath.Match", () => {
  const cases: Array<[string, string, boolean]> = [
    ["*.ts", "a.ts", true],
    ["*.ts", "a.tsx", false],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["[abc]x", "bx", true],
    ["[!abc]x", "bx", false],
    ["[^abc]x", "dx", true],
    ["[a-c]*", "cat", true],
    ["[a-c]*", "dog", false],
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["*", "", true],
    ["", "", true],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "aXbY", false],
    ["*a*a*a*a*b", "a".repeat(250), false],
    ["[", "[", true],
  ];
  for (const [glob, name, want] of cases) assert.equal(globMatch(glob, name), want, `${glob} vs ${name}`);
  const t0 = Date.now();
  for (let i = 0; i < 100; i++) globMatch("*a*a*a*a*a*a*a*a*b", "a".repeat(255));
  assert.ok(Date.now() - t0 < 500);
});
