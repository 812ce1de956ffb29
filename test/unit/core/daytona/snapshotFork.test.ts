import assert from "node:assert/strict";
import { test } from "node:test";
import { forkNames, suggestSnapshotName, validateName } from "../../../../src/core/daytona/snapshotFork";

test("snapshot names are suggested from the sandbox and the date, and stay valid", () => {
  const at = new Date("2026-11-23T14:12:00Z");
  assert.equal(suggestSnapshotName("my box", at), "my-box-20261123-1412");
  const long = suggestSnapshotName("x".repeat(100), at);
  assert.ok(long.length <= 63, long);
  assert.equal(validateName(long), undefined);
  assert.equal(suggestSnapshotName("!!!", at), "snapshot-20261123-1412");
});

test("names are validated, including clashes", () => {
  assert.equal(validateName("ok-1.2_3"), undefined);
  assert.match(validateName("-bad") ?? "", /Letters/);
  assert.match(validateName("a b") ?? "", /Letters/);
  assert.match(validateName("x".repeat(64)) ?? "", /Letters/);
  assert.match(validateName("taken", new Set(["taken"])) ?? "", /taken/);
});

test("fork names count up and skip names in use", () => {
  assert.deepEqual(forkNames("app", 3, new Set()), ["app-fork-1", "app-fork-2", "app-fork-3"]);
  assert.deepEqual(forkNames("app", 2, new Set(["app-fork-1"])), ["app-fork-2", "app-fork-3"]);
});
