/* global describe, it */ // Sample project for the report parsers: passing, failing and pending tests on purpose.
const assert = require("node:assert/strict");

describe("Array", function () {
  it("has indexOf", function () {
    assert.equal([1, 2, 3].indexOf(4), -1);
  });

  it("fails on purpose", function () {
    assert.equal([1, 2, 3].length, 4);
  });

  it.skip("is pending", function () {});

  describe("nested", function () {
    it("throws", function () {
      throw new TypeError("not a function");
    });
  });
});
