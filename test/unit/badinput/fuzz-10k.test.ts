// 10,000 random YAML documents through the config planner (the same generator as
// test/unit/core/config/fuzz.test.ts, whose default 1,000 runs stay the quick smoke test). The bound is
// the test's timeout, not a timing assertion; FUZZ_SEED replays a failure.
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";

test("fuzz: 10,000 random compose documents never throw (bounded by a 90 s timeout)", { timeout: 90_000 }, () => {
  const file = path.join(__dirname, "../core/config/fuzz.test.ts");
  const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", "--test-name-pattern=random compose documents", file], {
    encoding: "utf8",
    env: { ...process.env, FUZZ_RUNS: "10000", NODE_TEST_CONTEXT: undefined },
    timeout: 85_000,
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^ok \d+ - fuzz: 10000 random compose documents never throw/m);
  assert.match(r.stdout, /^# pass 1$/m);
});
