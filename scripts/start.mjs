#!/usr/bin/env node
// `npm start`: runs the extension in a real VS Code (code-server's web workbench) on this machine,
// with no internet: builds, starts code-server with the extension under development, and prints the
// URL to open in a browser. Ctrl-C stops it. Without a Daytona account, pick "Use local sandboxes"
// in the Daytona view: the extension starts its bundled local server.
// Options: --port N (default 8080), --folder DIR (default: test/fixtures/workspace copied to a temp dir).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureHost, startCodeServer } from "../test/host/codeServer.mjs";

const root = path.resolve(import.meta.dirname, "..");
const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
const host = ensureHost();
let folder = arg("folder");
if (!folder) {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-start-"));
  fs.cpSync(path.join(root, "test/fixtures/workspace"), folder, { recursive: true });
}
const server = await startCodeServer({
  host,
  extDir: root,
  workspace: path.resolve(folder),
  outDir: path.join(root, "test-results", "start"),
  port: arg("port") ? Number(arg("port")) : 8080,
});
console.log(`\nVS Code with the Daytona extension is running.\nOpen: ${server.url()}\n(logs: test-results/start/code-server.log; Ctrl-C to stop)\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
setInterval(() => {}, 1 << 30);
