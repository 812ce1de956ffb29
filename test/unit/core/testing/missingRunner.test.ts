import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { installOffer, missingRunner, packageJsonDeclares, requirementsDeclare } from "../../../../src/core/testing/missingRunner";

describe("missingRunner", () => {
  const cases: Array<[string, string | undefined]> = [
    ["/usr/bin/python3: No module named pytest\n", "pytest"],
    ["ModuleNotFoundError: No module named 'pytest'", "pytest"],
    ["bash: line 1: pytest: command not found", "pytest"],
    ["sh: 1: jest: not found", "jest"],
    ["Error: Cannot find module 'vitest/package.json'", "vitest"],
    ["npm error could not determine executable to run\nnpx mocha", "mocha"],
    ["1 passed, 0 failed", undefined],
    ["No module named requests", undefined],
  ];
  for (const [output, runner] of cases) {
    it(`${JSON.stringify(output.slice(0, 40))} -> ${runner ?? "nothing"}`, () => assert.equal(missingRunner(output)?.runner, runner));
  }
});

describe("where the project declares the runner", () => {
  it("requirements lines with versions, extras, markers and comments", () => {
    assert.ok(requirementsDeclare("requests==2\n# pytest\nPyTest>=7 ; python_version>'3'\n", "pytest"));
    assert.ok(requirementsDeclare("pytest_cov\n", "pytest-cov"));
    assert.ok(!requirementsDeclare("# pytest\npytest-cov\n-r base.txt\n", "pytest"));
  });
  it("package.json dev and runtime dependencies; bad JSON declares nothing", () => {
    assert.ok(packageJsonDeclares('{"devDependencies":{"jest":"^29"}}', "jest"));
    assert.ok(packageJsonDeclares('{"dependencies":{"mocha":"1"}}', "mocha"));
    assert.ok(!packageJsonDeclares('{"devDependencies":{"jest-junit":"1"}}', "jest"));
    assert.ok(!packageJsonDeclares("{oops", "jest"));
  });
  it("offers pip from the first requirements file that names it, npm install from package.json, nothing otherwise", async () => {
    const files: Record<string, string> = { "requirements.txt": "pytest\n", "requirements-dev.txt": "black\n" };
    const read = async (f: string) => files[f];
    const py = await installOffer({ runner: "pytest", ecosystem: "python" }, read);
    assert.equal(py?.file, "requirements.txt");
    assert.match(py?.command ?? "", /^python3 -m pip install --user -r requirements\.txt \|\| .*--break-system-packages$/);
    assert.equal(await installOffer({ runner: "tox", ecosystem: "python" }, read), undefined);
    const node = await installOffer({ runner: "jest", ecosystem: "node" }, async (f) => (f === "package.json" ? '{"devDependencies":{"jest":"1"}}' : undefined));
    assert.deepEqual(node, { file: "package.json", command: "npm install" });
  });
});
