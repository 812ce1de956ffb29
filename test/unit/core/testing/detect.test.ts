// Detection tables over temp folders, the filters as data, and the detected commands run for real on
// the sample projects (node always; pytest and go when installed) with their reports parsed.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { detectTestCommand, fromSetting, nodeFiles, parseReport, rerunFilter, testFileFilter, type TestCommand } from "../../../../src/core/testing";

const tmp = mkdtempSync(join(tmpdir(), "detect-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

async function detectIn(files: Record<string, string>, list = true): Promise<TestCommand | undefined> {
  const dir = join(tmp, String(n++));
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return detectTestCommand(dir, list ? nodeFiles : { readFile: nodeFiles.readFile, stat: nodeFiles.stat });
}
const pkg = (test: string | undefined, devDependencies: Record<string, string> = {}) => JSON.stringify({ scripts: test === undefined ? {} : { test }, devDependencies });
const REPORTERS = "--test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=.daytona-test-report.xml";

describe("detectTestCommand", () => {
  const cases: [string, Record<string, string>, Partial<TestCommand> | undefined][] = [
    ["node --test", { "package.json": pkg("node --test") }, { framework: "node", format: "junit", reportPath: ".daytona-test-report.xml", command: `node ${REPORTERS} --test` }],
    ["node --test with a loader, files and env; the script's reporter is replaced", { "package.json": pkg("NODE_ENV=test node --import tsx --test-reporter=dot --test 'test/**/*.test.ts'") },
      { framework: "node", command: `env NODE_ENV=test node ${REPORTERS} --import tsx --test 'test/**/*.test.ts'` }],
    ["tsx --test", { "package.json": pkg("tsx --test") }, { framework: "node", command: `tsx ${REPORTERS} --test` }],
    ["node --test behind && (not one simple command)", { "package.json": pkg("npm run build && node --test dist") }, { framework: "node", command: `node ${REPORTERS} --test` }],
    ["jest with jest-junit", { "package.json": pkg("jest --coverage", { jest: "1", "jest-junit": "1" }) },
      { framework: "jest", format: "junit", command: "env JEST_JUNIT_OUTPUT_FILE=.daytona-test-report.xml JEST_JUNIT_ADD_FILE_ATTRIBUTE=true 'JEST_JUNIT_CLASSNAME={classname}' 'JEST_JUNIT_TITLE={title}' npx jest --coverage --ci --reporters=default --reporters=jest-junit" }],
    ["vitest (watch by default) runs once", { "package.json": pkg("vitest") }, { framework: "vitest", command: "npx vitest run --reporter=default --reporter=junit --outputFile.junit=.daytona-test-report.xml" }],
    ["vitest run with a config", { "package.json": pkg("vitest run --config vite.config.ts") }, { framework: "vitest", command: "npx vitest run --config vite.config.ts --reporter=default --reporter=junit --outputFile.junit=.daytona-test-report.xml" }],
    ["mocha with a spec and its own reporter", { "package.json": pkg("mocha -R dot 'test/**/*.spec.js'") },
      { framework: "mocha", command: "npx mocha --reporter xunit --reporter-option output=.daytona-test-report.xml 'test/**/*.spec.js'" }],
    ["no test script, vitest in devDependencies", { "package.json": pkg(undefined, { vitest: "1" }) }, { framework: "vitest" }],
    ["npm's placeholder script, then pytest", { "package.json": pkg('echo "Error: no test specified" && exit 1'), "pytest.ini": "[pytest]\n" }, { framework: "pytest" }],
    ["pyproject with [tool.pytest.ini_options]", { "pyproject.toml": "[tool.pytest.ini_options]\n" },
      { framework: "pytest", format: "junit", command: "python3 -m pytest --junitxml=.daytona-test-report.xml -o junit_family=xunit1" }],
    ["setup.cfg [tool:pytest]", { "setup.cfg": "[tool:pytest]\n" }, { framework: "pytest" }],
    ["conftest.py", { "conftest.py": "" }, { framework: "pytest" }],
    ["tests/test_x.py", { "tests/test_x.py": "" }, { framework: "pytest" }],
    ["tests/test_x.py but no listing", { "tests/test_x.py": "" }, undefined],
    ["go.mod", { "go.mod": "module example.com/m\n\ngo 1.21\n" }, { framework: "go", format: "gotest-json", command: "go test -json ./...", parseOptions: { goModule: "example.com/m" } }],
    ["Cargo.toml", { "Cargo.toml": "[package]\nname='x'\n" }, { framework: "cargo", format: "libtest", command: "cargo test --no-fail-fast 2>&1" }],
    ["broken package.json, nothing else", { "package.json": "{" }, undefined],
    ["nothing", { "README.md": "" }, undefined],
  ];
  for (const [name, files, want] of cases) {
    it(name, async () => {
      const got = await detectIn(files, name !== "tests/test_x.py but no listing");
      if (want === undefined) return assert.equal(got, undefined);
      assert.ok(got);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof TestCommand], v, k);
    });
  }
  it("jest without jest-junit says what to add", async () => {
    assert.match((await detectIn({ "package.json": pkg("jest") }))!.description, /add jest-junit/);
  });
  it("file names are quoted", async () => {
    const cmd = (await detectIn({ "package.json": pkg("node --test") }))!;
    assert.equal(testFileFilter(cmd, "test/it's here.test.js")!.command, `node ${REPORTERS} --test 'test/it'\\''s here.test.js'`);
  });
});

describe("filters", () => {
  const at = (files: Record<string, string>) => detectIn(files);
  it("one file, per framework", async () => {
    assert.equal(testFileFilter((await at({ "package.json": pkg("jest", { "jest-junit": "1" }) }))!, "a.test.ts")!.command.endsWith("--runTestsByPath a.test.ts"), true);
    assert.equal(testFileFilter((await at({ "pytest.ini": "" }))!, "tests/test_a.py")!.command, "python3 -m pytest --junitxml=.daytona-test-report.xml -o junit_family=xunit1 tests/test_a.py");
    const go = (await at({ "go.mod": "module m\n" }))!;
    assert.equal(testFileFilter(go, "pkg/a/x_test.go")!.command, "go test -json ./pkg/a");
    assert.equal(testFileFilter(go, "x_test.go")!.command, "go test -json .");
    assert.equal(testFileFilter(go, "README.md"), undefined);
    const cargo = (await at({ "Cargo.toml": "" }))!;
    assert.equal(testFileFilter(cargo, "tests/api.rs")!.command, "cargo test --no-fail-fast --test api 2>&1");
    assert.equal(testFileFilter(cargo, "src/lib.rs"), undefined);
    assert.equal(testFileFilter(go, "../outside.go"), undefined);
    assert.equal(testFileFilter(fromSetting("make test", "tap"), "a.t"), undefined);
  });
  it("re-run failed tests, per framework, with names escaped and quoted", async () => {
    const node = (await at({ "package.json": pkg("node --test test/") }))!;
    assert.equal(rerunFilter(node, [{ name: "adds (x)", suite: ["math"] }, { name: "b", suite: [] }])!.command,
      `node ${REPORTERS} --test '--test-name-pattern=^adds \\(x\\)$' '--test-name-pattern=^b$' test/`);
    const jest = (await at({ "package.json": pkg("jest", { "jest-junit": "1" }) }))!;
    assert.match(rerunFilter(jest, [{ name: "adds", suite: ["math nested"] }])!.command, / -t '\^\(\?:math nested adds\)\$'$/);
    const vitest = (await at({ "package.json": pkg("vitest") }))!;
    assert.match(rerunFilter(vitest, [{ name: "math > adds", suite: [] }])!.command, / -t '\^\(\?:math adds\)\$'$/);
    const mocha = (await at({ "package.json": pkg("mocha") }))!;
    assert.match(rerunFilter(mocha, [{ name: "throws", suite: ["Array nested"] }])!.command, / --grep '\^\(\?:Array nested throws\)\$'$/);
    const py = (await at({ "pytest.ini": "" }))!;
    assert.match(rerunFilter(py, [{ name: "test_raises", suite: ["TestStrings"], file: "test_sample.py" }, { name: "t", suite: [] }])!.command, / test_sample.py::TestStrings::test_raises$/);
    assert.equal(rerunFilter(py, [{ name: "t", suite: [] }]), undefined);
    const go = (await at({ "go.mod": "module m\n" }))!;
    assert.equal(rerunFilter(go, [{ name: "two", suite: ["m", "TestTable"] }, { name: "TestAdd", suite: ["m"] }])!.command, "go test -json -run '^(?:TestTable|TestAdd)$' ./...");
    const cargo = (await at({ "Cargo.toml": "" }))!;
    assert.equal(rerunFilter(cargo, [{ name: "deep", suite: ["src/lib.rs", "tests", "nested"] }])!.command, "cargo test --no-fail-fast -- tests::nested::deep --exact 2>&1");
    assert.equal(rerunFilter(cargo, []), undefined);
  });
  it("fromSetting runs the user's line as it is", () => {
    assert.deepEqual(fromSetting("  make test-junit ", "junit", "out/report.xml"), { command: "make test-junit", format: "junit", framework: "custom", description: "daytona.tests.command (junit)", reportPath: "out/report.xml" });
  });
});

describe("detected commands run for real on the sample projects", () => {
  const projects = join(__dirname, "reports", "projects");
  function copy(name: string): string {
    const dir = join(tmp, `run-${name}`);
    cpSync(join(projects, name), dir, { recursive: true });
    return dir;
  }
  function run(cmd: TestCommand, cwd: string): string {
    // Without NODE_TEST_CONTEXT: inherited from this test runner it makes node --test report to a parent.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    return spawnSync("sh", ["-c", cmd.command], { cwd, env, encoding: "utf8", timeout: 120_000 }).stdout;
  }
  it("node: junit report written, spec on stdout; then one file; then the failed tests again", async () => {
    const dir = copy("node");
    const cmd = (await detectTestCommand(dir))!;
    const stdout = run(cmd, dir);
    assert.match(stdout, /✖ adds wrongly on purpose/);
    const rep = parseReport(cmd.format, readFileSync(join(dir, cmd.reportPath!), "utf8"), { root: dir });
    assert.equal(rep.results.length, 9);
    assert.equal(rep.results.find((r) => r.name === "fails in a helper")?.location?.file, join(dir, "strings.test.mjs"));
    run(testFileFilter(cmd, "strings.test.mjs")!, dir);
    const one = parseReport("junit", readFileSync(join(dir, cmd.reportPath!), "utf8"));
    assert.deepEqual(one.results.map((r) => r.name).sort(), ["fails in a helper", "upper"]);
    run(rerunFilter(cmd, rep.results.filter((r) => r.status === "failed"))!, dir);
    const again = parseReport("junit", readFileSync(join(dir, cmd.reportPath!), "utf8"));
    assert.deepEqual(again.results.filter((r) => r.status !== "skipped").map((r) => r.name).sort(),
      ["adds wrongly on purpose", "compares objects", "fails in a helper", "throws an error"]);
  });
  const hasPytest = spawnSync("python3", ["-m", "pytest", "--version"]).status === 0;
  it("pytest: report, then the failed tests again by node id", { skip: hasPytest ? false : "python3 -m pytest is not installed" }, async () => {
    const dir = copy("pytest");
    const cmd = (await detectTestCommand(dir))!;
    run(cmd, dir);
    const rep = parseReport("junit", readFileSync(join(dir, cmd.reportPath!), "utf8"));
    assert.equal(rep.results.length, 7);
    run(rerunFilter(cmd, rep.results.filter((r) => r.status === "failed"))!, dir);
    const again = parseReport("junit", readFileSync(join(dir, cmd.reportPath!), "utf8"));
    assert.deepEqual(again.results.map((r) => r.name).sort(), ["test_adds_wrongly", "test_raises", "test_uses_broken_fixture"]);
  });
  let hasGo = false;
  try {
    execFileSync("go", ["version"]);
    hasGo = true;
  } catch {
    // reported as a skip
  }
  it("go: -json output parsed as it is, then a re-run by name", { skip: hasGo ? false : "go is not installed" }, async () => {
    const dir = copy("go");
    const cmd = (await detectTestCommand(dir))!;
    const rep = parseReport(cmd.format, run(cmd, dir), { ...cmd.parseOptions, root: dir });
    assert.equal(rep.results.filter((r) => r.status === "failed").length, 3);
    const again = parseReport(cmd.format, run(rerunFilter(cmd, [{ name: "TestAddWrong", suite: ["example.com/sample"] }])!, dir));
    assert.deepEqual(again.results.map((r) => [r.name, r.status]), [["TestAddWrong", "failed"]]);
  });
});
