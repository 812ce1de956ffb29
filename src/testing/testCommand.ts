// The command a folder's tests run with: `daytona.tests.command` when set (with its report format),
// else what core/testing detects from the project; narrowed to one file or to given tests.
import * as vscode from "vscode";
import { REPORT_PATH, detectTestCommand, fromSetting, rerunFilter, testFileFilter, type ReportFormat, type TestCommand, type TestRef } from "../core/testing";

export type Selection = { kind: "all" } | { kind: "file"; relativeFile: string } | { kind: "tests"; tests: TestRef[] };

export class NoTestCommandError extends Error {}

export async function testCommandFor(folder: string): Promise<TestCommand> {
  const config = vscode.workspace.getConfiguration("daytona.tests", vscode.Uri.file(folder));
  const line = config.get<string>("command", "").trim();
  if (line) {
    const format = config.get<ReportFormat>("reportFormat", "junit");
    return fromSetting(line, format, format === "junit" ? REPORT_PATH : undefined);
  }
  const found = await detectTestCommand(folder);
  if (!found) {
    throw new NoTestCommandError(
      "no test command found (package.json test script with node --test, jest, vitest or mocha; pytest; go.mod; Cargo.toml). Set daytona.tests.command.",
    );
  }
  return found;
}

/** The command narrowed to the selection, and a note when it could not be narrowed. */
export function narrow(cmd: TestCommand, sel: Selection): { cmd: TestCommand; note?: string } {
  if (sel.kind === "all") return { cmd };
  const narrowed = sel.kind === "file" ? testFileFilter(cmd, sel.relativeFile) : rerunFilter(cmd, sel.tests);
  if (narrowed) return { cmd: narrowed };
  const what = sel.kind === "file" ? `only ${sel.relativeFile}` : `only ${sel.tests.length} test(s)`;
  return { cmd, note: `${cmd.description} cannot run ${what}; running all tests` };
}
