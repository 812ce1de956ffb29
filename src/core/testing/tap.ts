// TAP 13/14 -> TestResults, incrementally: node's tap reporter (nested "# Subtest:" blocks indented by
// 4, YAML diagnostics between "---" and "..."), mocha's tap reporter (flat, free-text diagnostics).
// Only leaves become results; a parent point (a suite, or a test with subtests) is reported only when
// it failed on its own account (a hook, not "subtestsFailed").
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { parseLocation } from "./paths";
import { LineSplitter, ResultCollector, testId, type ParseOptions, type ResultStream, type StreamHandlers, type TestReport, type TestResult } from "./results";

interface Point {
  indent: number;
  ok: boolean;
  name: string;
  directive?: "skip" | "todo";
  reason?: string;
  suite: string[];
  hasChildren: boolean;
  yaml?: string[];
  yamlIndent?: number;
  yamlOpen: boolean;
  diag: string[];
}

const POINT = /^(not ok|ok)\b\s*(\d+)?\s*(?:-\s+)?(.*)$/;
const HEADER = /^# Subtest:\s?(.*)$/;

export function createTapStream(handlers: StreamHandlers = {}, options: ParseOptions = {}): ResultStream {
  const out = new ResultCollector(handlers.onResult);
  const headers = new Map<number, string>(); // indent -> "# Subtest:" name
  const below = new Set<number>(); // indents that have seen a deeper test point since their last point
  let pending: Point | undefined;

  const suiteAt = (indent: number) =>
    [...headers.entries()].filter(([i]) => i < indent).sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  const dropFrom = (indent: number) => {
    for (const i of [...headers.keys()]) if (i >= indent) headers.delete(i);
  };

  const finish = () => {
    const p = pending;
    pending = undefined;
    if (!p) return;
    const r = toResult(p, options, out.errors);
    if (r) out.add(r);
  };

  const onLine = (raw: string) => {
    const line = raw.replace(/\r$/, "");
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (pending?.yamlOpen) {
      if (body === "..." && indent === pending.yamlIndent) pending.yamlOpen = false;
      else pending.yaml?.push(line);
      return;
    }
    if (pending && body === "---" && indent > pending.indent && pending.yaml === undefined) {
      Object.assign(pending, { yaml: [], yamlIndent: indent, yamlOpen: true });
      return;
    }
    const construct = HEADER.test(body) || POINT.test(body) || /^1\.\.\d+/.test(body);
    if (pending && !construct && indent > pending.indent && pending.yaml === undefined) {
      pending.diag.push(line);
      return;
    }
    finish();
    let m: RegExpExecArray | null;
    if ((m = HEADER.exec(body))) {
      dropFrom(indent);
      const name = unescape(m[1]);
      const suite = suiteAt(indent);
      headers.set(indent, name);
      handlers.onStart?.({ id: testId(undefined, suite, name), name, suite });
    } else if ((m = POINT.exec(body))) {
      const { name, directive, reason } = splitDirective(m[3]);
      for (const i of [...below]) if (i > indent) below.delete(i);
      const suite = suiteAt(indent);
      pending = { indent, ok: m[1] === "ok", name, directive, reason, suite, hasChildren: below.has(indent), yamlOpen: false, diag: [] };
      below.delete(indent);
      for (const i of headers.keys()) if (i < indent) below.add(i);
      markParents(below, indent);
      dropFrom(indent);
    } else if (/^Bail out!/i.test(body)) {
      out.errors.push(`TAP: ${body}`);
    } else if (/^(TAP version \d+|1\.\.\d+.*|pragma .*|#.*)$/.test(body) || body === "") {
      // Plans, versions and comments (node's "# tests 9" summary) carry no result.
    } else {
      handlers.onOutput?.(`${line}\n`);
    }
  };

  const splitter = new LineSplitter(onLine);
  return {
    push: (chunk) => splitter.push(chunk),
    end: () => {
      splitter.flush();
      if (pending?.yamlOpen) out.errors.push(`TAP: YAML block of "${pending.name}" is not closed`);
      finish();
      return out.report();
    },
  };
}

/** Parses a whole TAP document (see createTapStream). */
export function parseTap(text: string, options: ParseOptions = {}): TestReport {
  const s = createTapStream({}, options);
  s.push(text);
  return s.end();
}

/** Every enclosing indent has a child now (a point without "# Subtest:" headers, as in plain TAP 14). */
function markParents(below: Set<number>, indent: number): void {
  for (let i = indent - 4; i >= 0; i -= 4) below.add(i);
}

function splitDirective(rest: string): { name: string; directive?: "skip" | "todo"; reason?: string } {
  // The first unescaped " # " starts the directive; "\#" is a literal hash in the description.
  const m = /^((?:[^#\\]|\\.)*?)\s*(?<!\\)#\s*(SKIP|TODO)\S*\s*(.*)$/i.exec(rest);
  if (!m) return { name: unescape(rest.replace(/\s*(?<!\\)#.*$/, "")) };
  const reason = m[3].trim();
  return { name: unescape(m[1]), directive: m[2].toLowerCase() as "skip" | "todo", reason: reason && reason !== "-" ? reason : undefined };
}

function unescape(s: string): string {
  return s.trim().replace(/\\([#\\])/g, "$1");
}

function toResult(p: Point, options: ParseOptions, errors: string[]): TestResult | undefined {
  let y: Record<string, unknown> = {};
  if (p.yaml?.length) {
    const cut = Math.min(...p.yaml.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    try {
      const v: unknown = parseYaml(p.yaml.map((l) => l.slice(Math.min(cut, l.length - l.trimStart().length))).join("\n"));
      if (v && typeof v === "object" && !Array.isArray(v)) y = v as Record<string, unknown>;
    } catch (e) {
      errors.push(`TAP: YAML diagnostics of "${p.name}" could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const status = p.directive ? "skipped" : p.ok ? "passed" : "failed";
  // A parent is a result only when it failed on its own account: an error of its own (a hook), not its subtests'.
  if (p.hasChildren && (status !== "failed" || y.failureType === "subtestsFailed" || (y.error === undefined && p.diag.length === 0))) return undefined;
  const r: TestResult = { id: testId(undefined, p.suite, p.name), name: p.name, suite: p.suite, status };
  const declared = typeof y.location === "string" ? /^(.*?):(\d+)(?::(\d+))?$/.exec(y.location) : null;
  if (declared) {
    r.file = declared[1];
    r.line = Number(declared[2]);
  }
  if (typeof y.duration_ms === "number" && y.duration_ms >= 0) r.durationMs = y.duration_ms;
  if (status === "skipped") {
    if (p.reason) r.message = p.directive === "todo" ? `TODO: ${p.reason}` : p.reason;
    return r;
  }
  if (status !== "failed") return r;
  const diag = dedent(p.diag);
  const error = typeof y.error === "string" ? y.error : y.error !== undefined ? show(y.error) : undefined;
  r.message = (error ?? messageOf(diag) ?? "failed").trim() || "failed";
  const stack = typeof y.stack === "string" ? y.stack : "";
  const details = [stack, diag].filter(Boolean).join("\n");
  if (details) r.details = details;
  if ("expected" in y && "actual" in y) {
    r.expected = show(y.expected);
    r.actual = show(y.actual);
  }
  const loc = parseLocation(stack, options.root) ?? parseLocation(diag, options.root) ?? (declared ? { file: declared[1], line: Number(declared[2]), ...(declared[3] ? { column: Number(declared[3]) } : {}) } : undefined);
  if (loc) r.location = loc;
  return r;
}

function show(v: unknown): string {
  return typeof v === "string" ? v : stringifyYaml(v).trimEnd();
}

function dedent(lines: string[]): string {
  const cut = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(Math.min(cut, l.length - l.trimStart().length))).join("\n").trim();
}

/** mocha's diagnostics: the message, then "XError: message" and the stack. */
function messageOf(diag: string): string | undefined {
  if (!diag) return undefined;
  const lines = diag.split("\n");
  const end = lines.findIndex((l, i) => i > 0 && (/^\w*Error\b.*:/.test(l) || /^\s*at\s/.test(l)));
  return (end > 0 ? lines.slice(0, end) : lines).join("\n").trim();
}
