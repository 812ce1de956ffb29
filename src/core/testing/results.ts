// Plain result records that every report parser produces, and the small helpers they share.
// Nothing here knows about VS Code: the glue turns a TestResult into a TestItem state and TestMessages.

export type TestStatus = "passed" | "failed" | "skipped";

export interface SourceLocation {
  /** As reported (usually a path inside the sandbox, absolute or relative to the project); map with mapToLocal. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, when the tool says. */
  column?: number;
}

export interface TestResult {
  /** Stable across runs: [file, ...suite, name] joined by ID_SEPARATOR. Independent of the outcome. */
  id: string;
  name: string;
  /** Enclosing suites / describe blocks / classes / parent tests, outermost first. */
  suite: string[];
  /** Where the test is declared, as reported (see SourceLocation.file). */
  file?: string;
  line?: number;
  status: TestStatus;
  durationMs?: number;
  /** The failure message (or skip reason). */
  message?: string;
  /** Everything the tool said about the failure: stack, traceback, captured output. */
  details?: string;
  expected?: string;
  actual?: string;
  /** Where the failure happened, from the stack or message; only places inside the project. */
  location?: SourceLocation;
}

export interface TestReport {
  results: TestResult[];
  /** Problems with the report itself (malformed lines, a package that did not build); never thrown. */
  errors: string[];
}

/** What a parser needs to know about the run; all optional. */
export interface ParseOptions {
  /** The project folder in the sandbox: failure locations outside it (node_modules, /usr/lib) are skipped. */
  root?: string;
  /** go test -json: the module path from go.mod, so packages become folders relative to the root. */
  goModule?: string;
}

/** Live parsing: feed output chunks as they arrive, results come out as tests finish. */
export interface ResultStream {
  push(chunk: string): void;
  /** Flushes what is pending and returns the whole report (every result also passed to onResult). */
  end(): TestReport;
}

export interface StreamHandlers {
  /** Called once per finished test, in the order the tool finished them. */
  onResult?(result: TestResult): void;
  /** A test started (where the format says so: go test -json "run", TAP "# Subtest:"). */
  onStart?(test: { id: string; name: string; suite: string[]; file?: string }): void;
  /** Human-readable output for the test run's terminal (for go -json: the "output" events' text). */
  onOutput?(text: string, testId?: string): void;
}

export const ID_SEPARATOR = " \u203a ";

export function testId(file: string | undefined, suite: readonly string[], name: string): string {
  return [...(file ? [file] : []), ...suite, name].join(ID_SEPARATOR);
}

/** Collects results and keeps ids unique: a repeated id gets " (2)", " (3)"... in report order. */
export class ResultCollector {
  readonly results: TestResult[] = [];
  readonly errors: string[] = [];
  private readonly seen = new Map<string, number>();

  constructor(private readonly onResult?: (r: TestResult) => void) {}

  add(r: TestResult): void {
    const n = (this.seen.get(r.id) ?? 0) + 1;
    this.seen.set(r.id, n);
    const result = n > 1 ? { ...r, id: `${r.id} (${n})` } : r;
    this.results.push(result);
    this.onResult?.(result);
  }

  report(): TestReport {
    return { results: this.results, errors: this.errors };
  }
}

/** Splits a stream of chunks into complete lines; the last partial line waits for the next chunk or flush(). */
export class LineSplitter {
  private rest = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    const lines = text.split(/\r?\n/);
    this.rest = lines.pop() ?? "";
    for (const line of lines) this.onLine(line);
  }

  flush(): void {
    if (this.rest !== "") {
      const last = this.rest;
      this.rest = "";
      this.onLine(last);
    }
  }
}

/** A number of seconds as reported ("0.0123", "1,234.5") to milliseconds; undefined when not a number. */
export function secondsToMs(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : Number(String(value).replace(/,/g, ""));
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1000 * 1000) / 1000 : undefined;
}
