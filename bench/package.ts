// The .vsix size (`npm run package`, a release build) and the extension's activation, timed in a fresh
// node process that loads the release dist/extension.js with a stand-in vscode module
// (bench/activation-probe.mjs). Why a stand-in and not the extension host: VS Code has no API that
// reports an extension's activation time, and timing from outside would mostly measure the workbench.
// The stand-in isolates the extension's own cost: evaluating its bundle and running activate().
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { median, row, type Row } from "./lib";

export function benchPackage(root: string): Row[] {
  execFileSync("npm", ["run", "package"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  const vsix = fs.statSync(path.join(root, "dist", "daytona-sandboxes.vsix")).size;
  const runs: Array<{ requireMs: number; activateMs: number; sdkLoaded: boolean }> = [];
  for (let i = 0; i < 7; i++) {
    const r = spawnSync(process.execPath, [path.join(root, "bench", "activation-probe.mjs")], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`activation probe failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout) as (typeof runs)[number]);
  }
  const load = median(runs.map((r) => r.requireMs));
  const act = median(runs.map((r) => r.activateMs));
  return [
    row(".vsix size", null, vsix / 1024, null, "KiB"),
    row("activation: evaluate dist/extension.js (release) + activate()", null, load + act, null, "ms", `median of ${runs.length} fresh processes: load ${load.toFixed(1)} ms + activate() ${act.toFixed(1)} ms; SDK loaded at activation: ${runs[0].sdkLoaded}`),
  ];
}
