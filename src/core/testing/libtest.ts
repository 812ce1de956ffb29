// cargo test's plain output (Rust's libtest) -> TestResults, incrementally. Stable cargo has no
// machine-readable report (--format json / junit need -Z unstable-options, which stable refuses), so
// this reads "test a::b ... ok|FAILED|ignored" lines and the "---- a::b stdout ----" failure sections.
// libtest prints no per-test durations on stable: durationMs stays undefined.
// Run with stderr merged (2>&1) so the "Running unittests src/lib.rs" lines name each test binary.
import { parseLocation } from "./paths";
import { LineSplitter, ResultCollector, testId, type ParseOptions, type ResultStream, type StreamHandlers, type TestReport, type TestResult } from "./results";

const RUNNING = /^\s*Running (?:unittests )?(\S+)(?: \(.*\))?\s*$/;
const DOC_TESTS = /^\s*Doc-tests (\S+)\s*$/;
const TEST_LINE = /^test (.+?) \.\.\. (ok|FAILED|ignored(?:, (.*))?|bench:.*)$/;
const SECTION = /^---- (.+?) (stdout|stderr) ----$/;
const RESULT_LINE = /^test result: /;

export function createLibtestStream(handlers: StreamHandlers = {}, options: ParseOptions = {}): ResultStream {
  const out = new ResultCollector(handlers.onResult);
  let binary: string | undefined; // "src/lib.rs", "tests/it.rs", "Doc-tests crate"
  let doc = false;
  const failed = new Map<string, TestResult>(); // name -> result waiting for its failure section
  let section: { name: string; lines: string[] } | undefined;

  const closeSection = () => {
    if (!section) return;
    const r = failed.get(section.name);
    if (r) {
      Object.assign(r, failure(section.lines, options));
      failed.delete(section.name);
      out.add(r);
    }
    section = undefined;
  };
  const flushFailed = () => {
    closeSection();
    for (const r of failed.values()) out.add({ ...r, message: r.message ?? "failed" });
    failed.clear();
  };

  const onLine = (raw: string) => {
    const line = raw.replace(/\r$/, "");
    let m: RegExpExecArray | null;
    if ((m = SECTION.exec(line))) {
      closeSection();
      section = { name: m[1], lines: [] };
    } else if (RESULT_LINE.test(line) || line === "failures:" || RUNNING.test(line) || DOC_TESTS.test(line)) {
      if (line === "failures:") closeSection();
      else flushFailed();
      if ((m = RUNNING.exec(line))) [binary, doc] = [m[1], false];
      else if ((m = DOC_TESTS.exec(line))) [binary, doc] = [`Doc-tests ${m[1]}`, true];
    } else if (section) {
      section.lines.push(line);
    } else if ((m = TEST_LINE.exec(line))) {
      const full = m[1];
      const parts = doc ? [full] : full.split("::");
      const suite = [...(binary ? [binary] : []), ...parts.slice(0, -1)];
      const name = parts[parts.length - 1];
      const status = m[2] === "ok" || m[2].startsWith("bench") ? "passed" : m[2] === "FAILED" ? "failed" : "skipped";
      const r: TestResult = { id: testId(undefined, suite, name), name, suite, status };
      if (m[3]) r.message = m[3];
      if (status === "failed") failed.set(full, r);
      else out.add(r);
    } else if (line.trim() !== "") {
      handlers.onOutput?.(`${line}\n`);
    }
  };

  const splitter = new LineSplitter(onLine);
  return {
    push: (chunk) => splitter.push(chunk),
    end: () => {
      splitter.flush();
      flushFailed();
      return out.report();
    },
  };
}

/** Parses the whole output of cargo test (see createLibtestStream). */
export function parseLibtest(text: string, options: ParseOptions = {}): TestReport {
  const s = createLibtestStream({}, options);
  s.push(text);
  return s.end();
}

/** A failure section: "thread 'x' panicked at src/lib.rs:17:9:" then the message, then a backtrace or a note. */
function failure(lines: string[], options: ParseOptions): Pick<TestResult, "message" | "details" | "location"> {
  const text = lines.join("\n").trim();
  const out: Pick<TestResult, "message" | "details" | "location"> = { details: text };
  const at = lines.findIndex((l) => /panicked at /.test(l));
  if (at < 0) {
    out.message = text || "failed";
    return out;
  }
  const panicLine = lines[at];
  const loc = parseLocation(panicLine.replace(/^.*panicked at /, ""), options.root);
  if (loc) out.location = loc;
  // Rust < 1.73: "panicked at 'message', src/lib.rs:17:9"; newer: the message on the following lines.
  const old = /panicked at '([\s\S]*)', \S+:\d+:\d+$/.exec(panicLine);
  if (old) {
    out.message = old[1];
  } else {
    const rest = lines.slice(at + 1);
    const end = rest.findIndex((l) => /^(stack backtrace:|note: )/.test(l));
    out.message = (end < 0 ? rest : rest.slice(0, end)).join("\n").trim() || "panicked";
  }
  return out;
}
