// Loaded by the extension host (extensionTestsPath). Finds every compiled suite next to it by glob
// (never a hand-kept list), runs them with mocha, and writes a JSON report to $VSHOST_RESULTS because
// the host does not forward mocha's output.
import * as fs from "node:fs";
import * as path from "node:path";
import * as util from "node:util";
import { globSync } from "glob";
import Mocha from "mocha";

interface Results {
  passed: string[];
  failed: { title: string; error: string }[];
  pending: string[];
  summary?: string;
  report?: string;
  vscode: string;
}

export function run(): Promise<void> {
  const resultsFile = process.env.VSHOST_RESULTS ?? path.join(__dirname, "results.json");
  const lines: string[] = [];
  Mocha.reporters.Base.consoleLog = (...a: unknown[]) => void lines.push(util.format(...a));
  const mocha = new Mocha({ ui: "bdd", timeout: 60_000, color: false, reporter: "spec", grep: process.env.DAYTONA_IT_GREP });
  const files = globSync("suites/**/*.test.js", { cwd: __dirname, absolute: true }).sort();
  for (const f of files) mocha.addFile(f);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const results: Results = { passed: [], failed: [], pending: [], vscode: require("vscode").version };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      results.summary = `${results.passed.length} passed, ${results.failed.length} failed`;
      results.report = lines.join("\n");
      fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
    runner.on("pass", (t) => results.passed.push(t.fullTitle()));
    runner.on("pending", (t) => results.pending.push(t.fullTitle()));
    runner.on("fail", (t, err: Error) => results.failed.push({ title: t.fullTitle(), error: String(err?.stack ?? err) }));
  });
}
