#!/usr/bin/env node
// `npm run test:ui`: opens the workbench with the extension in headless chromium and runs every
// test/ui/*.ui.mjs check (found by glob). Each check exports `default async ({ page, step, screenshot,
// workspace, settingsFile })` (the workspace folder on disk and the user settings.json) and gets a
// fresh workspace and code-server. A check may export `env` for its code-server (and so the extension
// host), e.g. a temp HOME. Screenshots go to test-results/screens/.
// Prints "N passed, N failed" and exits non-zero on any failure.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { globSync } from "glob";
import { ensureHost, launchBrowser, startCodeServer } from "./codeServer.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const outDir = path.join(root, "test-results", "ui");
const screens = path.join(root, "test-results", "screens");
const filter = process.argv[2];
const t0 = Date.now();
const step = (m) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

fs.mkdirSync(screens, { recursive: true });
execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
let host;
try {
  host = ensureHost();
} catch (e) {
  console.error(`\n!!! UI CHECKS CANNOT RUN ON THIS MACHINE: no VS Code host or chromium (${e.message}).\n!!! Run test/host/setup-host.sh.\n`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const checks = globSync("test/ui/**/*.ui.mjs", { cwd: root, posix: true })
  .sort()
  .filter((f) => !filter || f.includes(filter));
let passed = 0;
let failed = 0;
for (const file of checks) {
  const name = path.basename(file, ".ui.mjs");
  const mod = await import(pathToFileURL(path.join(root, file)).href);
  const check = mod.default;
  // A fresh workspace and code-server per check, so one check's state never leaks into another.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-ui-ws-"));
  fs.cpSync(path.join(root, "test/fixtures/workspace"), workspace, { recursive: true });
  const server = await startCodeServer({ host, extDir: root, workspace, outDir: path.join(outDir, name), settings: check.settings ?? {}, env: mod.env ?? {} });
  const browser = await launchBrowser(host, outDir);
  const page = await browser.ctx.newPage();
  const screenshot = (label) => page.screenshot({ path: path.join(screens, `${name}-${label}.png`) });
  try {
    await page.goto(server.url());
    await check({ page, step: (m) => step(`${name}: ${m}`), screenshot, workspace, settingsFile: server.settingsFile });
    passed++;
    step(`PASS ${name}`);
  } catch (e) {
    failed++;
    step(`FAIL ${name}: ${e.message}`);
    await screenshot("failure").catch(() => {});
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
if (checks.length === 0) {
  console.log("no UI checks found");
  failed++;
}
step(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
