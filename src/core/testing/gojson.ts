// go test -json (test2json events) -> TestResults, incrementally. Each test's "output" events are kept
// until its pass/fail/skip event; the failure message is that output without go's own framing lines,
// and "    file_test.go:12: message" gives the location (relative to the package folder).
import { parseLocation } from "./paths";
import { LineSplitter, ResultCollector, testId, type ParseOptions, type ResultStream, type StreamHandlers, type TestReport, type TestResult } from "./results";

interface GoEvent {
  Action: string;
  Package?: string;
  Test?: string;
  Output?: string;
  Elapsed?: number;
}

const FRAMING = /^\s*(=== (RUN|PAUSE|CONT|NAME)\s|--- (PASS|FAIL|SKIP|BENCH):\s)/;
const GO_LOCATION = /^\s*([^\s:]+\.go):(\d+): ?/;
const MAX_ERRORS = 20;

export function createGoJsonStream(handlers: StreamHandlers = {}, options: ParseOptions = {}): ResultStream {
  const out = new ResultCollector(handlers.onResult);
  const output = new Map<string, string[]>(); // package \0 test -> its output lines
  const parents = new Set<string>(); // package \0 test that have subtests
  const packageHasResults = new Set<string>();

  const onLine = (line: string) => {
    if (line.trim() === "") return;
    const ev = parseEvent(line);
    if (!ev) {
      handlers.onOutput?.(`${line}\n`);
      if (out.errors.length < MAX_ERRORS) out.errors.push(`not a go test -json event: ${line.slice(0, 200)}`);
      return;
    }
    const pkg = ev.Package ?? "";
    const key = `${pkg}\0${ev.Test ?? ""}`;
    const names = ev.Test?.split("/") ?? [];
    const suite = [pkg, ...names.slice(0, -1)];
    const id = ev.Test ? testId(undefined, suite, names[names.length - 1]) : undefined;
    switch (ev.Action) {
      case "run":
        if (ev.Test) {
          for (let i = 1; i < names.length; i++) parents.add(`${pkg}\0${names.slice(0, i).join("/")}`);
          handlers.onStart?.({ id: id ?? "", name: names[names.length - 1], suite });
        }
        break;
      case "output":
        if (ev.Output !== undefined) {
          handlers.onOutput?.(ev.Output, id);
          const lines = output.get(key) ?? [];
          lines.push(ev.Output.replace(/\r?\n$/, ""));
          output.set(key, lines);
        }
        break;
      case "pass":
      case "fail":
      case "skip": {
        const lines = output.get(key) ?? [];
        output.delete(key);
        if (!ev.Test) {
          if (ev.Action === "fail" && !packageHasResults.has(pkg)) {
            out.errors.push(`${pkg || "go test"} failed: ${lines.filter((l) => !/^FAIL\b/.test(l)).join("\n").trim() || "no tests ran"}`);
          }
          break;
        }
        packageHasResults.add(pkg);
        const r = toResult(ev, names, suite, id ?? "", lines, parents.has(key), options);
        if (r) out.add(r);
        break;
      }
    }
  };

  const splitter = new LineSplitter(onLine);
  return {
    push: (chunk) => splitter.push(chunk),
    end: () => {
      splitter.flush();
      return out.report();
    },
  };
}

/** Parses the whole output of go test -json (see createGoJsonStream). */
export function parseGoTestJson(text: string, options: ParseOptions = {}): TestReport {
  const s = createGoJsonStream({}, options);
  s.push(text);
  return s.end();
}

function parseEvent(line: string): GoEvent | undefined {
  if (!line.trimStart().startsWith("{")) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    if (v && typeof v === "object" && typeof (v as GoEvent).Action === "string") return v as GoEvent;
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
}

function toResult(ev: GoEvent, names: string[], suite: string[], id: string, lines: string[], hasChildren: boolean, options: ParseOptions): TestResult | undefined {
  const own = dedent(lines.filter((l) => !FRAMING.test(l)));
  // A parent that failed only because a subtest did says nothing of its own.
  if (hasChildren && (ev.Action !== "fail" || own === "")) return undefined;
  const status = ev.Action === "pass" ? "passed" : ev.Action === "skip" ? "skipped" : "failed";
  const r: TestResult = { id, name: names[names.length - 1], suite, status };
  if (typeof ev.Elapsed === "number" && ev.Elapsed >= 0) r.durationMs = Math.round(ev.Elapsed * 1000 * 1000) / 1000;
  if (status === "passed" || own === "") return r;
  const dir = packageDir(ev.Package ?? "", options.goModule);
  const first = GO_LOCATION.exec(own);
  // "file_test.go:12: got 4" and its continuation lines (indented 4 more) -> "got 4".
  r.message = own.replace(/^([^\s:]+\.go):(\d+): ?/gm, "").replace(/^ {4}/gm, "").trim();
  if (status === "failed") {
    r.details = lines.join("\n");
    if (first) {
      const file = first[1].startsWith("/") || dir === undefined ? first[1] : dir ? `${dir}/${first[1]}` : first[1];
      r.location = { file, line: Number(first[2]) };
    } else {
      const loc = parseLocation(own, options.root);
      if (loc) r.location = loc;
    }
  }
  return r;
}

/** The package's folder relative to the module root ("" for the module itself), when the module path is known. */
export function packageDir(pkg: string, module: string | undefined): string | undefined {
  if (!module) return undefined;
  if (pkg === module) return "";
  return pkg.startsWith(`${module}/`) ? pkg.slice(module.length + 1) : undefined;
}

function dedent(lines: string[]): string {
  const cut = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(Math.min(cut, l.length - l.trimStart().length))).join("\n").trim();
}
