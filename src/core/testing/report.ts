// One entry point by format, for the glue: stream the command's output, or parse the report at the end.
import type { ReportFormat } from "./command";
import { createGoJsonStream } from "./gojson";
import { parseJUnit } from "./junit";
import { createLibtestStream } from "./libtest";
import type { ParseOptions, ResultStream, StreamHandlers, TestReport } from "./results";
import { createTapStream } from "./tap";

/**
 * A live parser of the command's output for formats that stream (tap, gotest-json, libtest); for
 * junit (a file read after the run) undefined: pass the output to the run as it is, then parseReport.
 */
export function createReportStream(format: ReportFormat, handlers: StreamHandlers, options: ParseOptions = {}): ResultStream | undefined {
  switch (format) {
    case "tap":
      return createTapStream(handlers, options);
    case "gotest-json":
      return createGoJsonStream(handlers, options);
    case "libtest":
      return createLibtestStream(handlers, options);
    case "junit":
      return undefined;
  }
}

/** A whole report (a JUnit file's text, or a finished command's output) to results. */
export function parseReport(format: ReportFormat, text: string, options: ParseOptions = {}): TestReport {
  if (format === "junit") return parseJUnit(text, options);
  const s = createReportStream(format, {}, options);
  if (!s) return { results: [], errors: [`unknown report format ${String(format)}`] };
  s.push(text);
  return s.end();
}
