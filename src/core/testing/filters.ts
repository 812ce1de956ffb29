// Narrower runs of a detected command: one file ("run the current file"), or the tests that failed.
// Both return undefined when the framework cannot do it (or for a user's own command line).
import { posix } from "node:path";
import { render, type TestCommand } from "./command";
import type { TestResult } from "./results";

export type TestRef = Pick<TestResult, "name" | "suite" | "file">;

/** A command that runs only the tests in one file (relative to the project folder, "/" separated). */
export function testFileFilter(cmd: TestCommand, relativeFile: string): TestCommand | undefined {
  const parts = cmd.parts;
  const file = posix.normalize(relativeFile.replace(/\\/g, "/"));
  if (!parts || file.startsWith("../") || file.startsWith("/")) return undefined;
  const narrow = (command: string, what: string): TestCommand => ({ ...cmd, command, description: `${cmd.description}: ${what}` });
  switch (cmd.framework) {
    case "node":
    case "vitest":
    case "mocha":
    case "pytest":
      return narrow(render(parts, { positionals: [file] }), file);
    case "jest":
      return narrow(render(parts, { positionals: [], after: ["--runTestsByPath", file] }), file);
    case "go": {
      if (!file.endsWith(".go")) return undefined;
      const dir = posix.dirname(file);
      // go test runs packages, not files: the file's whole package.
      return narrow(render(parts, { positionals: [dir === "." ? "." : `./${dir}`] }), `the package of ${file}`);
    }
    case "cargo": {
      const m = /^tests\/([^/]+)\.rs$/.exec(file) ?? /^tests\/([^/]+)\/main\.rs$/.exec(file);
      return m ? narrow(render(parts, { positionals: [], before: ["--test", m[1]] }), file) : undefined;
    }
    default:
      return undefined;
  }
}

/** A command that runs again only the given tests (for example the failed ones). */
export function rerunFilter(cmd: TestCommand, tests: readonly TestRef[]): TestCommand | undefined {
  const parts = cmd.parts;
  if (!parts || tests.length === 0) return undefined;
  const narrow = (command: string): TestCommand => ({ ...cmd, command, description: `${cmd.description}: ${tests.length} test(s) again` });
  const anyOf = (names: string[]) => `^(?:${unique(names).map(escapeRegExp).join("|")})$`;
  switch (cmd.framework) {
    case "node":
      // Node matches each pattern against a test's own name; several patterns are or-ed.
      return narrow(render(parts, { before: unique(tests.map((t) => t.name)).map((n) => `--test-name-pattern=^${escapeRegExp(n)}$`) }));
    case "jest":
      // jest matches its full name: the describe titles and the test title joined by spaces.
      return narrow(render(parts, { after: ["-t", anyOf(tests.map((t) => [...t.suite, t.name].join(" ")))] }));
    case "vitest":
      // vitest's junit names are "outer > inner > test"; -t matches the same titles joined by spaces.
      return narrow(render(parts, { after: ["-t", anyOf(tests.map((t) => t.name.split(" > ").join(" ")))] }));
    case "mocha":
      return narrow(render(parts, { after: ["--grep", anyOf(tests.map((t) => [...t.suite, t.name].join(" ")))] }));
    case "pytest": {
      const ids = tests.map(pytestNodeId).filter((x): x is string => x !== undefined);
      return ids.length ? narrow(render(parts, { positionals: unique(ids) })) : undefined;
    }
    case "go":
      // -run takes top-level names; a subtest is re-run with its whole parent. Suite is [package, parents...].
      return narrow(render(parts, { before: ["-run", anyOf(tests.map((t) => (t.suite.length > 1 ? t.suite[1] : t.name)))] }));
    case "cargo": {
      const names = tests.filter((t) => !t.suite[0]?.startsWith("Doc-tests ")).map((t) => [...t.suite.filter((s) => !s.includes("/")), t.name].join("::"));
      return names.length ? narrow(render(parts, { positionals: [], after: ["--", ...unique(names), "--exact"] })) : undefined;
    }
    default:
      return undefined;
  }
}

/** pytest's node id "path/test_x.py::TestClass::test_name" from a JUnit xunit1 result (file + class suite). */
export function pytestNodeId(t: TestRef): string | undefined {
  if (!t.file || !t.file.endsWith(".py")) return undefined;
  return [t.file, ...t.suite, t.name].join("::");
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
