// JUnit XML (the de-facto format: node's junit reporter, pytest --junitxml, mocha xunit, jest-junit,
// vitest's junit reporter) -> TestResults. Parsed once, at the end of a run. Never throws.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parseLocation, parseLocations } from "./paths";
import { ResultCollector, secondsToMs, testId, type ParseOptions, type SourceLocation, type TestReport, type TestResult } from "./results";

type Node = Record<string, unknown>;
type Ctx = ParseOptions & { lineBase: number };

const ARRAYS = new Set(["testsuite", "testcase", "failure", "error", "skipped", "system-out", "system-err"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

export function parseJUnit(xml: string, options: ParseOptions = {}): TestReport {
  const out = new ResultCollector();
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    out.errors.push(`JUnit report is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
    return out.report();
  }
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (e) {
    out.errors.push(`JUnit report could not be read: ${e instanceof Error ? e.message : String(e)}`);
    return out.report();
  }
  const root = (doc.testsuites ?? doc.testsuite) as Node | Node[] | undefined;
  if (root === undefined) {
    out.errors.push("JUnit report has no <testsuites> or <testsuite> element");
    return out.report();
  }
  // <testsuites> is a container (its own testcases, as node's reporter writes top-level tests there);
  // each <testsuite> adds its name to the suite path.
  // pytest's line attribute (xunit1) is 0-based, unlike everyone else's; its suite is named "pytest".
  const lineBase = asArray(root).some((s) => attr(s, "name") === "pytest" || asArray(s.testsuite).some((t) => attr(t, "name") === "pytest")) ? 1 : 0;
  const ctx = { ...options, lineBase };
  if (doc.testsuites !== undefined) walk(asNode(doc.testsuites), [], out, ctx);
  else for (const s of asArray(root)) walkSuite(s, [], out, ctx);
  return out.report();
}

function walkSuite(suite: Node, path: string[], out: ResultCollector, options: Ctx, file?: string): void {
  const name = attr(suite, "name");
  walk(suite, name ? [...path, name] : path, out, options, attr(suite, "file") ?? file);
}

function walk(container: Node, path: string[], out: ResultCollector, options: Ctx, file?: string): void {
  for (const tc of asArray(container.testcase)) out.add(testCase(tc, path, file, options));
  for (const s of asArray(container.testsuite)) walkSuite(s, path, out, options, file);
}

function testCase(tc: Node, suitePath: string[], suiteFile: string | undefined, options: Ctx): TestResult {
  const name = attr(tc, "name") ?? "(unnamed)";
  const file = attr(tc, "file") ?? suiteFile;
  const lineNo = Number(attr(tc, "line"));
  const suite = suiteOf(attr(tc, "classname"), file, suitePath);
  const result: TestResult = { id: testId(file, suite, name), name, suite, status: "passed" };
  if (file) result.file = file;
  if (Number.isSafeInteger(lineNo) && lineNo + options.lineBase > 0) result.line = lineNo + options.lineBase;
  const duration = secondsToMs(attr(tc, "time"));
  if (duration !== undefined) result.durationMs = duration;

  const problem = asArray(tc.failure)[0] ?? asArray(tc.error)[0];
  const skipped = asArray(tc.skipped)[0];
  if (problem !== undefined) {
    result.status = "failed";
    const body = text(problem).trim();
    const message = attr(problem, "message")?.trim();
    result.message = message || messageOf(body) || attr(problem, "type") || "failed";
    if (body) result.details = body;
    const location = failureLocation(body || result.message, options.root);
    if (location) result.location = location;
    Object.assign(result, expectedActual(body));
  } else if (skipped !== undefined) {
    result.status = "skipped";
    const reason = attr(skipped, "message")?.trim() || text(skipped).trim();
    if (reason) result.message = reason;
  }
  const output = [...asArray(tc["system-out"]), ...asArray(tc["system-err"])].map((n) => text(n).trim()).filter(Boolean);
  if (output.length) result.details = [result.details, ...output].filter(Boolean).join("\n\n");
  return result;
}

/**
 * The suite path of a test case. A meaningful classname (pytest's module.Class, mocha's "Outer inner")
 * wins: the enclosing <testsuite> is then a tool's aggregate ("pytest", "Mocha Tests") or the file.
 * Node's reporter writes classname="test" on every case, so there the nested <testsuite>s are the path.
 */
function suiteOf(classname: string | undefined, file: string | undefined, suitePath: string[]): string[] {
  if (!classname || classname === "test") return suitePath;
  if (file && classname === file) return [];
  if (file) {
    // pytest: "pkg.test_mod.TestClass" with file "pkg/test_mod.py" -> ["TestClass"].
    const module = file.replace(/\.[^./]+$/, "").replace(/\//g, ".");
    if (classname === module) return [];
    if (classname.startsWith(`${module}.`)) return classname.slice(module.length + 1).split(".");
  }
  return [classname];
}

/** pytest ends a long traceback with "path:line: ExceptionType" (the raising frame); others put the innermost frame first. */
function failureLocation(body: string, root: string | undefined): SourceLocation | undefined {
  const lines = body.trimEnd().split("\n");
  const last = lines[lines.length - 1] ?? "";
  if (/^\S+:\d+: \w[\w.]*$/.test(last)) {
    const all = parseLocations(last, root);
    if (all.length) return all[all.length - 1];
  }
  return parseLocation(body, root);
}

/** node's assertion errors, as util.inspect prints them in the failure body: "actual: 4," / "expected: 5,". */
function expectedActual(body: string): Pick<TestResult, "expected" | "actual"> {
  if (!body.includes("code: 'ERR_ASSERTION'")) return {};
  const value = (key: string) => {
    const m = new RegExp(`^\\s*${key}: (.*?),?$`, "m").exec(body);
    return m && !/\[(Array|Object)\]/.test(m[1]) ? m[1] : undefined;
  };
  const expected = value("expected");
  const actual = value("actual");
  return expected !== undefined && actual !== undefined ? { expected, actual } : {};
}

function asArray(v: unknown): Node[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(asNode);
}

function asNode(v: unknown): Node {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Node;
  return typeof v === "string" ? { "#text": v } : {};
}

function attr(n: Node, name: string): string | undefined {
  const v = n[`@${name}`];
  return typeof v === "string" ? v : undefined;
}

function text(n: Node): string {
  const v = n["#text"];
  return typeof v === "string" ? v : "";
}

/** Without a message attribute (mocha): the body up to the "XError: ..." line or the first stack frame. */
function messageOf(body: string): string {
  const lines = body.split("\n");
  const end = lines.findIndex((l, i) => i > 0 && (/^\w*Error\b.*:/.test(l) || /^\s*at\s/.test(l)));
  return (end > 0 ? lines.slice(0, end) : lines.slice(0, 1)).join("\n").trim();
}
