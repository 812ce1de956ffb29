import assert from "node:assert/strict";
import { test } from "node:test";

test("upper", () => {
  assert.equal("a".toUpperCase(), "A");
});

test("fails in a helper", () => {
  check("x");
});

function check(s) {
  assert.ok(s.length > 3, `too short: ${s}`);
}
