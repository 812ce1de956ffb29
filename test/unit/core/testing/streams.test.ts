// The live interface: results come out while output arrives, in any chunking, and equal a whole parse.
// Cases marked HAND-WRITTEN are small inputs typed here for shapes the real samples do not have.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createReportStream, parseJUnit, parseReport, parseTap, parseGoTestJson, parseLibtest, type ReportFormat, type TestResult } from "../../../../src/core/testing";

const HERE = join(__dirname, "reports");
const SAMPLES: [string, ReportFormat][] = [["node-tap.txt", "tap"], ["mocha-tap.txt", "tap"], ["go-test.jsonl", "gotest-json"], ["cargo-test.txt", "libtest"]];

describe("streams", () => {
  for (const [file, format] of SAMPLES) {
    it(`${file}: chunks of 1, 7 and 4096 bytes give the whole parse, results as they finish`, () => {
      const text = readFileSync(join(HERE, file), "utf8");
      const whole = parseReport(format, text);
      assert.ok(whole.results.length >= 4);
      for (const size of [1, 7, 4096]) {
        const live: TestResult[] = [];
        const s = createReportStream(format, { onResult: (r) => live.push(r) })!;
        let firstAt = -1;
        for (let i = 0; i < text.length; i += size) {
          s.push(text.slice(i, i + size));
          if (firstAt < 0 && live.length) firstAt = i;
        }
        const end = s.end();
        assert.deepEqual(end, whole);
        assert.deepEqual(live, whole.results);
        assert.ok(firstAt >= 0 && firstAt < text.length / 2, `first result only at byte ${firstAt} of ${text.length}`);
      }
    });
  }

  it("go: start events, and output as text for the run's terminal", () => {
    const started: string[] = [];
    let text = "";
    const s = createReportStream("gotest-json", { onStart: (t) => started.push(t.id), onOutput: (o) => (text += o) })!;
    s.push(readFileSync(join(HERE, "go-test.jsonl"), "utf8"));
    s.end();
    assert.ok(started.includes("example.com/sample \u203a TestTable \u203a two"));
    assert.match(text, /--- FAIL: TestAddWrong/);
    assert.doesNotMatch(text, /"Action"/);
  });

  it("tap: start events from # Subtest lines", () => {
    const started: string[] = [];
    const s = createReportStream("tap", { onStart: (t) => started.push(t.id) })!;
    s.push(readFileSync(join(HERE, "node-tap.txt"), "utf8"));
    s.end();
    assert.deepEqual(started.slice(0, 3), ["math", "math \u203a adds", "math \u203a adds wrongly on purpose"]);
  });

  it("junit has no stream: it is a file read after the run", () => {
    assert.equal(createReportStream("junit", {}), undefined);
  });
});

describe("HAND-WRITTEN edge cases", () => {
  it("TAP 14 subtests without # Subtest lines, escaped #, TODO failure, bail out", () => {
    const rep = parseTap([
      "TAP version 14",
      "    ok 1 - inner one",
      "    not ok 2 - inner two",
      "      ---",
      "      message: no",
      "      ...",
      "    1..2",
      "not ok 1 - outer",
      "not ok 2 - known \\# broken # TODO fix later",
      "ok 3 - plain # skip",
      "Bail out! database down",
    ].join("\n"));
    assert.deepEqual(rep.results.map((r) => [r.name, r.status]), [
      ["inner one", "passed"], ["inner two", "failed"], ["known # broken", "skipped"], ["plain", "skipped"],
    ]);
    assert.deepEqual(rep.errors, ["TAP: Bail out! database down"]);
  });

  it("TAP: a suite that failed on its own (a hook) is reported; unclosed YAML is an error, not a throw", () => {
    const rep = parseTap("# Subtest: s\n    # Subtest: t\n    ok 1 - t\n    1..1\nnot ok 1 - s\n  ---\n  type: 'suite'\n  failureType: 'hookFailed'\n  error: 'before failed'\n  ...\n");
    assert.deepEqual(rep.results.map((r) => [r.id, r.status, r.message]), [["s \u203a t", "passed", undefined], ["s", "failed", "before failed"]]);
    const open = parseTap("not ok 1 - x\n  ---\n  error: 'a'\n");
    assert.equal(open.results[0].message, "a");
    assert.match(open.errors[0], /not closed/);
    const hook = parseTap("# Subtest: p\n    ok 1 - c\nnot ok 1 - p\n  ---\n  failureType: 'hookFailed'\n  error: 'after hook'\n  ...\n");
    assert.deepEqual(hook.results.map((r) => [r.id, r.status, r.message]), [["p \u203a c", "passed", undefined], ["p", "failed", "after hook"]]);
  });

  it("JUnit: malformed XML, missing root, nested suites with classname/file/line, error, system-out, duplicate ids", () => {
    assert.match(parseJUnit("<testsuite><testcase></testsuite>").errors[0], /not well-formed/);
    assert.match(parseJUnit("<other/>").errors[0], /no <testsuites>/);
    const rep = parseJUnit(`<?xml version="1.0"?>
<testsuites><testsuite name="outer" file="a.test.ts"><testsuite name="inner">
  <testcase name="t" classname="a.test.ts" time="1.5" line="7"><error message="boom" type="Error">Error: boom
    at Object.&lt;anonymous&gt; (/w/src/a.test.ts:9:3)
    at /w/node_modules/x/index.js:1:1</error><system-out>printed</system-out></testcase>
  <testcase name="t" classname="a.test.ts" time="0.25"/>
  <testcase name="u" time="1,234.5"/>
</testsuite></testsuite></testsuites>`, { root: "/w" });
    assert.deepEqual(rep.errors, []);
    const [t, t2, u] = rep.results;
    assert.deepEqual([t.id, t.status, t.durationMs, t.line, t.message], ["a.test.ts \u203a t", "failed", 1500, 7, "boom"]);
    assert.deepEqual(t.location, { file: "/w/src/a.test.ts", line: 9, column: 3 });
    assert.match(t.details!, /printed$/);
    assert.equal(t2.id, "a.test.ts \u203a t (2)");
    assert.deepEqual([u.suite, u.durationMs, u.file], [["outer", "inner"], 1234500, "a.test.ts"]);
  });

  it("go: a package that does not build is an error; non-JSON lines pass to the output", () => {
    let text = "";
    const rep = parseGoTestJson([
      "# example.com/broken",
      '{"Action":"output","Package":"example.com/broken","Output":"FAIL\\texample.com/broken [build failed]\\n"}',
      '{"Action":"fail","Package":"example.com/broken","Elapsed":0}',
    ].join("\n"));
    assert.equal(rep.results.length, 0);
    assert.match(rep.errors.join("\n"), /example.com\/broken failed/);
    const s = createReportStream("gotest-json", { onOutput: (o) => (text += o) })!;
    s.push("# example.com/broken\n");
    s.end();
    assert.equal(text, "# example.com/broken\n");
  });

  it("libtest: old panic format, doc tests, ignored with a reason, a binary per Running line", () => {
    const rep = parseLibtest([
      "     Running tests/api.rs (target/debug/deps/api-1)",
      "running 2 tests",
      "test api::get ... FAILED",
      "test slow ... ignored, needs network",
      "failures:",
      "---- api::get stdout ----",
      "thread 'api::get' panicked at 'status 500', tests/api.rs:12:5",
      "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
      "failures:",
      "    api::get",
      "test result: FAILED. 0 passed; 1 failed; 1 ignored",
      "   Doc-tests sample",
      "test src/lib.rs - add (line 3) ... ok",
    ].join("\n"));
    assert.deepEqual(rep.results.map((r) => [r.id, r.status, r.message]), [
      ["tests/api.rs \u203a slow", "skipped", "needs network"],
      ["tests/api.rs \u203a api \u203a get", "failed", "status 500"],
      ["Doc-tests sample \u203a src/lib.rs - add (line 3)", "passed", undefined],
    ]);
    assert.deepEqual(rep.results[1].location, { file: "tests/api.rs", line: 12, column: 5 });
  });
});
