// Sample project for the report parsers: passing, failing, skipped and todo tests on purpose.
import assert from "node:assert/strict";
import { describe, it, test } from "node:test";

function add(a, b) {
  return a + b;
}

describe("math", () => {
  it("adds", () => {
    assert.equal(add(1, 2), 3);
  });

  it("adds wrongly on purpose", () => {
    assert.equal(add(2, 2), 5);
  });

  describe("nested", () => {
    it("compares objects", () => {
      assert.deepEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] });
    });

    it("is skipped", { skip: "not on this platform" }, () => {});
  });
});

test("throws an error", () => {
  throw new Error("boom <&> \"quoted\"");
});

test("is todo", { todo: "later" }, () => {});

test("slow pass", async () => {
  await new Promise((r) => setTimeout(r, 30));
});
