// npm run plan -- <file or folder>: runs scripts/plan.ts from a bundle kept in node_modules/.cache,
// rebuilt (esbuild, ~0.1 s) only when a source of the planner is newer. Loading TypeScript through
// tsx on every run costs most of a second of start-up; the bundle starts like plain node.
import { mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { globSync } from "glob";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "node_modules/.cache/daytona-plan/plan.cjs");
const mtime = (f) => statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sources = [path.join(root, "scripts/plan.ts"), ...globSync("src/core/config/**/*.ts", { cwd: root, absolute: true })];
const built = mtime(out);
if (built === 0 || sources.some((s) => mtime(s) > built)) {
  mkdirSync(path.dirname(out), { recursive: true });
  const esbuild = await import("esbuild");
  await esbuild.build({ entryPoints: [path.join(root, "scripts/plan.ts")], outfile: out, bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning", packages: "external" });
}
createRequire(import.meta.url)(out);
