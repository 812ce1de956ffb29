// Parsers against REAL reports, made by reports/make-reports.sh from the projects in reports/projects
// (run in /tmp/daytona-testing-samples/<project>, standing in for the sandbox's folder). Every failure
// location is mapped back to the local project and must point at the line that fails.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { mapToLocal, parseReport, type ReportFormat, type TestReport, type TestResult } from "../../../../src/core/testing";

const HERE = join(__dirname, "reports");
const REMOTE = "/tmp/daytona-testing-samples";

function load(file: string, format: ReportFormat, project: string, goModule?: string): TestReport {
  return parseReport(format, readFileSync(join(HERE, file), "utf8"), { root: `${REMOTE}/${project}`, goModule });
}

function byName(report: TestReport, name: string): TestResult {
  const r = report.results.find((x) => x.name === name);
  assert.ok(r, `no result named ${name}: ${report.results.map((x) => x.name).join(", ")}`);
  return r;
}

function statuses(report: TestReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.id, r.status]));
}

/** The failure's location, mapped to the local project, is the line that contains `code`. */
function failsAt(r: TestResult, project: string, file: string, line: number, code: string): void {
  assert.equal(r.status, "failed");
  assert.ok(r.location, `${r.name} has no location`);
  const local = mapToLocal(r.location.file, `${REMOTE}/${project}`, join(HERE, "projects", project));
  assert.equal(local, join(HERE, "projects", project, file));
  assert.equal(r.location.line, line);
  assert.ok(existsSync(local));
  assert.match(readFileSync(local, "utf8").split("\n")[line - 1], new RegExp(code.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
}

describe("node's junit reporter (node-junit.xml)", () => {
  const rep = load("node-junit.xml", "junit", "node");
  it("has every test with its status and suite path", () => {
    assert.deepEqual(rep.errors, []);
    assert.deepEqual(statuses(rep), {
      "math \u203a adds": "passed",
      "math \u203a adds wrongly on purpose": "failed",
      "math \u203a nested \u203a compares objects": "failed",
      "math \u203a nested \u203a is skipped": "skipped",
      "throws an error": "failed",
      "is todo": "skipped",
      "slow pass": "passed",
      upper: "passed",
      "fails in a helper": "failed",
    });
  });
  it("durations in ms, skip reasons, messages and expected/actual", () => {
    assert.ok(byName(rep, "slow pass").durationMs! >= 25, "slow pass sleeps 30 ms");
    assert.ok(byName(rep, "adds").durationMs! < 1000);
    assert.equal(byName(rep, "is skipped").message, "not on this platform");
    assert.equal(byName(rep, "is todo").message, "later");
    const wrong = byName(rep, "adds wrongly on purpose");
    assert.match(wrong.message!, /Expected values to be strictly equal:\s*4 !== 5/);
    assert.equal(wrong.expected, "5");
    assert.equal(wrong.actual, "4");
    assert.match(wrong.details!, /ERR_ASSERTION/);
    // node writes the quote entity twice over in the attribute; the decoded text is what the report says.
    assert.match(byName(rep, "throws an error").message!, /^boom <&> /);
  });
  it("failure locations are the failing lines, skipping node:internal frames", () => {
    failsAt(byName(rep, "adds wrongly on purpose"), "node", "math.test.mjs", 15, "assert.equal(add(2, 2), 5)");
    failsAt(byName(rep, "compares objects"), "node", "math.test.mjs", 20, "assert.deepEqual");
    failsAt(byName(rep, "throws an error"), "node", "math.test.mjs", 28, "throw new Error");
    failsAt(byName(rep, "fails in a helper"), "node", "strings.test.mjs", 13, "assert.ok(s.length > 3");
  });
});

describe("node's tap reporter (node-tap.txt)", () => {
  const rep = load("node-tap.txt", "tap", "node");
  it("has the same tests and statuses as the junit report", () => {
    assert.deepEqual(rep.errors, []);
    assert.deepEqual(statuses(rep), statuses(load("node-junit.xml", "junit", "node")));
  });
  it("reads the YAML diagnostics: duration_ms, location, error, expected/actual", () => {
    assert.ok(byName(rep, "slow pass").durationMs! >= 25);
    const wrong = byName(rep, "adds wrongly on purpose");
    assert.equal(wrong.message, "Expected values to be strictly equal:\n\n4 !== 5");
    assert.deepEqual([wrong.expected, wrong.actual], ["5", "4"]);
    assert.equal(wrong.file, `${REMOTE}/node/math.test.mjs`);
    assert.equal(wrong.line, 14, "where the test is declared");
    const objects = byName(rep, "compares objects");
    assert.match(objects.expected!, /"1": 3/);
    assert.match(objects.actual!, /"1": 2/);
    assert.equal(byName(rep, "is skipped").message, "not on this platform");
    assert.equal(byName(rep, "is todo").message, "TODO: later");
    assert.equal(byName(rep, "throws an error").message, 'boom <&> "quoted"');
  });
  it("failure locations come from the stack", () => {
    failsAt(byName(rep, "adds wrongly on purpose"), "node", "math.test.mjs", 15, "assert.equal(add(2, 2), 5)");
    failsAt(byName(rep, "fails in a helper"), "node", "strings.test.mjs", 13, "assert.ok");
  });
});

describe("mocha (mocha-xunit.xml, mocha-tap.txt)", () => {
  const xunit = load("mocha-xunit.xml", "junit", "mocha");
  const tap = load("mocha-tap.txt", "tap", "mocha");
  it("xunit: suites from classname, file attribute, statuses", () => {
    assert.deepEqual(xunit.errors, []);
    assert.deepEqual(xunit.results.map((r) => [r.suite.join("/"), r.name, r.status]), [
      ["Array", "has indexOf", "passed"],
      ["Array", "fails on purpose", "failed"],
      ["Array", "is pending", "skipped"],
      ["Array nested", "throws", "failed"],
    ]);
    assert.ok(xunit.results.every((r) => r.file === `${REMOTE}/mocha/test/array.spec.js`));
    assert.match(byName(xunit, "fails on purpose").message!, /^Expected values to be strictly equal:\s+3 !== 4/);
    assert.equal(byName(xunit, "throws").message, "not a function");
  });
  it("tap: flat names, free-text diagnostics", () => {
    assert.deepEqual(tap.errors, []);
    assert.deepEqual(tap.results.map((r) => [r.name, r.status]), [
      ["Array has indexOf", "passed"], ["Array fails on purpose", "failed"], ["Array is pending", "skipped"], ["Array nested throws", "failed"],
    ]);
    assert.equal(byName(tap, "Array nested throws").message, "not a function");
  });
  it("relative stack frames map to the project", () => {
    for (const rep of [xunit, tap]) {
      failsAt(rep.results[1], "mocha", "test/array.spec.js", 10, "assert.equal([1, 2, 3].length, 4)");
      failsAt(rep.results[3], "mocha", "test/array.spec.js", 17, "throw new TypeError");
    }
  });
});

describe("pytest --junitxml (pytest-junit.xml: xunit1, pytest-junit-xunit2.xml)", () => {
  const rep = load("pytest-junit.xml", "junit", "pytest");
  it("statuses: failure, error (fixture), skip, xfail as skipped; classes as suites", () => {
    assert.deepEqual(rep.errors, []);
    assert.deepEqual(statuses(rep), {
      "test_sample.py \u203a test_adds": "passed",
      "test_sample.py \u203a test_adds_wrongly": "failed",
      "test_sample.py \u203a test_skipped": "skipped",
      "test_sample.py \u203a test_known_bug": "skipped",
      "test_sample.py \u203a TestStrings \u203a test_upper": "passed",
      "test_sample.py \u203a TestStrings \u203a test_raises": "failed",
      "test_sample.py \u203a test_uses_broken_fixture": "failed",
    });
    // xunit1's line attribute is 0-based (12); results are 1-based: the "def" line.
    assert.equal(byName(rep, "test_adds_wrongly").line, 13);
    assert.match(readFileSync(join(HERE, "projects/pytest/test_sample.py"), "utf8").split("\n")[12], /^def test_adds_wrongly/);
  });
  it("messages and the raising line", () => {
    assert.equal(byName(rep, "test_adds_wrongly").message, "assert 4 == 5\n +  where 4 = add(2, 2)");
    assert.equal(byName(rep, "test_raises").message, "ValueError: bad value <&>");
    assert.equal(byName(rep, "test_skipped").message, "not on this platform");
    assert.match(byName(rep, "test_uses_broken_fixture").message!, /failed on setup/);
    failsAt(byName(rep, "test_adds_wrongly"), "pytest", "test_sample.py", 14, "assert add(2, 2) == 5");
    failsAt(byName(rep, "test_raises"), "pytest", "test_sample.py", 32, "raise ValueError");
    failsAt(byName(rep, "test_uses_broken_fixture"), "pytest", "test_sample.py", 37, "raise RuntimeError");
  });
  it("xunit2 (no file attribute): module.Class as the suite, same statuses", () => {
    const x2 = load("pytest-junit-xunit2.xml", "junit", "pytest");
    assert.deepEqual(x2.results.map((r) => r.status), rep.results.map((r) => r.status));
    assert.deepEqual(byName(x2, "test_raises").suite, ["test_sample.TestStrings"]);
  });
});

describe("go test -json (go-test.jsonl)", () => {
  const rep = load("go-test.jsonl", "gotest-json", "go", "example.com/sample");
  it("statuses, subtests under their parent, a parent failing only through a subtest is not a result", () => {
    assert.deepEqual(rep.errors, []);
    assert.deepEqual(statuses(rep), {
      "example.com/sample/sub \u203a TestPanics": "failed",
      "example.com/sample \u203a TestAdd": "passed",
      "example.com/sample \u203a TestAddWrong": "failed",
      "example.com/sample \u203a TestSkipped": "skipped",
      "example.com/sample \u203a TestTable \u203a one": "passed",
      "example.com/sample \u203a TestTable \u203a two": "failed",
      "example.com/sample \u203a TestSlow": "passed",
    });
  });
  it("Elapsed seconds to ms, messages without go's framing", () => {
    assert.ok(byName(rep, "TestSlow").durationMs! >= 25);
    assert.equal(byName(rep, "TestAddWrong").message, "Add(2, 2) = 4, want 5");
    assert.equal(byName(rep, "two").message, "got 4\nwant 5");
    assert.equal(byName(rep, "TestSkipped").message, "not on this platform");
    assert.match(byName(rep, "TestPanics").message!, /^panic: assignment to entry in nil map/);
  });
  it("file_test.go:N locations (package-relative) and a panic's own frame, not GOROOT's", () => {
    failsAt(byName(rep, "TestAddWrong"), "go", "math_test.go", 17, "t.Errorf");
    failsAt(byName(rep, "two"), "go", "math_test.go", 34, "t.Errorf");
    failsAt(byName(rep, "TestPanics"), "go", "sub/sub_test.go", 7, 'm["x"] = 1');
  });
});

describe("cargo test, libtest's plain output (cargo-test.txt)", () => {
  const rep = load("cargo-test.txt", "libtest", "cargo");
  it("statuses, module paths as suites under the test binary's source", () => {
    assert.deepEqual(rep.errors, []);
    assert.deepEqual(statuses(rep), {
      "src/lib.rs \u203a tests \u203a adds": "passed",
      "src/lib.rs \u203a tests \u203a ignored": "skipped",
      "src/lib.rs \u203a tests \u203a nested \u203a deep": "passed",
      "src/lib.rs \u203a tests \u203a adds_wrongly": "failed",
      "src/lib.rs \u203a tests \u203a panics_with_message": "failed",
    });
    assert.ok(rep.results.every((r) => r.durationMs === undefined), "stable libtest prints no durations");
  });
  it("panic messages and locations", () => {
    assert.equal(byName(rep, "adds_wrongly").message, "assertion `left == right` failed\n  left: 4\n right: 5");
    assert.equal(byName(rep, "panics_with_message").message, "something broke");
    failsAt(byName(rep, "adds_wrongly"), "cargo", "src/lib.rs", 17, "assert_eq!(add(2, 2), 5)");
    failsAt(byName(rep, "panics_with_message"), "cargo", "src/lib.rs", 26, "panic!");
  });
});
