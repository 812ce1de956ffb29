// The shape of a test command: a description to run, built from argument vectors with the one quoting
// function, so filters (one file, failed tests) can add their selection without pasting text into it.
import { shellJoin } from "../shell/quote";
import type { ParseOptions } from "./results";

export type ReportFormat = "junit" | "tap" | "gotest-json" | "libtest";
export type Framework = "node" | "jest" | "vitest" | "mocha" | "pytest" | "go" | "cargo" | "custom";

/** Where runners write a JUnit report, relative to the project folder. */
export const REPORT_PATH = ".daytona-test-report.xml";

export interface CommandParts {
  /** Environment for the command, put in front as `env K=V` (quoted like every argument). */
  env: [string, string][];
  /** The runner and its options, e.g. ["npx", "vitest", "run", "--reporter=junit", ...]. */
  argv: string[];
  /** Positional arguments of the full run (test files or patterns from the script, "./..."). */
  positionals: string[];
  /** Literal shell text appended as it is (only constants of this module, e.g. "2>&1"). */
  suffix?: string;
}

export interface TestCommand {
  /** A shell command line, run in the project folder. */
  command: string;
  /** Format of the report: in the file at reportPath when set, else the command's output itself. */
  format: ReportFormat;
  /** Relative to the project folder; read it after the run (JUnit runners). */
  reportPath?: string;
  framework: Framework;
  description: string;
  /** Pass to the parser (add `root`: the folder in the sandbox). */
  parseOptions?: ParseOptions;
  /** What the command was built from; undefined for a user's command line (filters then do nothing). */
  parts?: CommandParts;
}

export function render(parts: CommandParts, extra: { before?: string[]; positionals?: string[]; after?: string[] } = {}): string {
  const env = parts.env.length ? ["env", ...parts.env.map(([k, v]) => `${k}=${v}`)] : [];
  const argv = [...env, ...parts.argv, ...(extra.before ?? []), ...(extra.positionals ?? parts.positionals), ...(extra.after ?? [])];
  return parts.suffix ? `${shellJoin(argv)} ${parts.suffix}` : shellJoin(argv);
}

export function build(framework: Framework, format: ReportFormat, parts: CommandParts, description: string, more: Partial<TestCommand> = {}): TestCommand {
  return { command: render(parts), format, framework, description, parts, ...more };
}

/**
 * The user's own command line from `daytona.tests.command`, run as it is. It must produce the report
 * in `format` on its output, or in reportPath (relative to the folder) for JUnit.
 */
export function fromSetting(commandLine: string, format: ReportFormat, reportPath?: string): TestCommand {
  const cmd: TestCommand = { command: commandLine.trim(), format, framework: "custom", description: `daytona.tests.command (${format})` };
  if (reportPath) cmd.reportPath = reportPath;
  return cmd;
}
