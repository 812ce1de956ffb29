import assert from "node:assert/strict";
import { test } from "node:test";
import { formatLabels, parseLabels } from "../../../../src/core/daytona/labels";

test("labels round-trip through text, sorted by key", () => {
  const text = formatLabels({ b: "2", a: "1", "x.io/team": "" });
  assert.equal(text, "a=1, b=2, x.io/team=");
  assert.deepEqual(parseLabels(text), { labels: { a: "1", b: "2", "x.io/team": "" } });
});

test("values may hold '=', blanks between pairs are ignored", () => {
  assert.deepEqual(parseLabels(" k = a=b ,, "), { labels: { k: "a=b" } });
  assert.deepEqual(parseLabels(""), { labels: {} });
});

const bad: [string, RegExp][] = [
  ["novalue", /not key=value/],
  ["=v", /not key=value/],
  ["-k=v", /not a valid label key/],
  ["k k=v", /not a valid label key/],
  ["a=1, a=2", /appears twice/],
  [`k=${"x".repeat(1025)}`, /longer than 1024/],
];
for (const [text, why] of bad) {
  test(`rejects ${JSON.stringify(text.slice(0, 20))}`, () => {
    const r = parseLabels(text);
    assert.ok("error" in r && why.test(r.error), JSON.stringify(r).slice(0, 200));
  });
}
