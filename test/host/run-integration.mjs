#!/usr/bin/env node
// `npm run test:integration`: the mocha suites of test/integration inside a real VS Code extension host.
// - VSCODE_EXECUTABLE_PATH set, or DAYTONA_TEST_HOST=electron: @vscode/test-electron (desktop VS Code;
//   it downloads VS Code when no executable is given, which needs the internet).
// - otherwise, offline: code-server's remote extension host, driven through headless chromium.
// Prints mocha's report and a closing "N passed, N failed" line; exits non-zero on any failure.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureHost, launchBrowser, startCodeServer } from "./codeServer.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const outDir = path.join(root, "test-results", "integration");
const resultsFile = path.join(outDir, "results.json");
const testsEntry = path.join(root, "out/integration/index.js");
const timeoutMs = Number(process.env.DAYTONA_IT_TIMEOUT_MS ?? 600_000);
const t0 = Date.now();
const step = (m) => console.log(`[integration ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

function workspaceCopy() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-it-ws-"));
  fs.cpSync(path.join(root, "test/fixtures/workspace"), ws, { recursive: true });
  return ws;
}

function printResults() {
  if (!fs.existsSync(resultsFile)) {
    console.log("INTEGRATION TESTS DID NOT REPORT: no results file was written by the extension host");
    console.log("0 passed, 1 failed");
    return 1;
  }
  const r = JSON.parse(fs.readFileSync(resultsFile, "utf8"));
  console.log(r.report);
  for (const f of r.failed) console.log(`\nFAILED: ${f.title}\n${f.error}`);
  console.log(`VS Code ${r.vscode}`);
  console.log(r.summary);
  return r.failed.length > 0 || r.passed.length === 0 ? 1 : 0;
}

async function runElectron(workspace) {
  const { runTests } = await import("@vscode/test-electron");
  step(`@vscode/test-electron with ${process.env.VSCODE_EXECUTABLE_PATH ?? "a downloaded VS Code"}`);
  await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH,
    extensionDevelopmentPath: root,
    extensionTestsPath: testsEntry,
    extensionTestsEnv: { VSHOST_RESULTS: resultsFile },
    launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust"],
  }).catch(() => undefined); // the results file decides
}

async function runCodeServer(workspace) {
  let host;
  try {
    host = ensureHost();
  } catch (e) {
    console.error(`\n!!! INTEGRATION TESTS CANNOT RUN ON THIS MACHINE: no VS Code host (${e.message}).\n!!! Run test/host/setup-host.sh (needs the npm registry and apt) or set VSCODE_EXECUTABLE_PATH.\n`);
    return;
  }
  const server = await startCodeServer({ host, extDir: root, workspace, outDir, env: { VSHOST_RESULTS: resultsFile } });
  step(`code-server up on ${server.port}`);
  const browser = await launchBrowser(host, outDir);
  try {
    const page = await browser.ctx.newPage();
    let exited;
    const exit = new Promise((r) => (exited = r));
    await page.exposeFunction("codeAutomationExit", (c) => exited(c));
    await page.goto(server.url(testsEntry));
    step("workbench opened; waiting for the extension tests");
    const code = await Promise.race([exit, new Promise((r) => setTimeout(() => r("timeout"), timeoutMs))]);
    if (code === "timeout") {
      step(`TIMEOUT after ${timeoutMs} ms`);
      await page.screenshot({ path: path.join(outDir, "timeout.png") }).catch(() => {});
    } else step(`extension host finished with code ${code}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

fs.mkdirSync(outDir, { recursive: true });
fs.rmSync(resultsFile, { force: true });
fs.rmSync(path.join(root, "out/integration"), { recursive: true, force: true }); // no stale suites
// The whole build every run (about a second): a dist/ left from before an edit would test old code.
execFileSync(process.execPath, ["scripts/build.mjs", "--tests"], { cwd: root, stdio: "inherit" });
const workspace = workspaceCopy();
try {
  if (process.env.VSCODE_EXECUTABLE_PATH || process.env.DAYTONA_TEST_HOST === "electron") await runElectron(workspace);
  else await runCodeServer(workspace);
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
const code = printResults();
step(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(code);
