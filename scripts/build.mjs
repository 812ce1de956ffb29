// One build script for every bundle. `--watch` rebuilds on change; `--release` minifies.
// Bundles: dist/extension.js (the extension, `vscode` external) and dist/local-server.js (the local
// Daytona-compatible server, started as its own process).
import * as esbuild from "esbuild";
import { globSync } from "glob";
import { sdkLoaderFix } from "./sdk-loader-fix.mjs";

const watch = process.argv.includes("--watch");


const release = process.argv.includes("--release");

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: release ? "external" : "linked",
  minify: release,
  logLevel: "warning",
  legalComments: "none",
  // Optional native speed-ups that ws, socket.io and ssh2 probe for at run time (in try/catch);
  // absent is fine, ssh2 then uses node's crypto and its bundled wasm poly1305.
  external: ["bufferutil", "utf-8-validate", "cpu-features", "*.node"],
  plugins: [sdkLoaderFix],
};

const all = [
  { ...common, entryPoints: { extension: "src/extension.ts" }, outdir: "dist", external: [...common.external, "vscode"] },
  { ...common, entryPoints: { "local-server": "src/local/main.ts" }, outdir: "dist" },
  {
    // Integration suites: run inside the extension host, so `vscode` and mocha stay external.
    ...common,
    entryPoints: globSync("test/integration/**/*.ts", { posix: true }),
    outbase: "test/integration",
    outdir: "out/integration",
    external: [...common.external, "vscode", "mocha"],
    minify: false,
    group: "tests",
  },
];
// `--only=extension` (or local-server, integration-tests) builds one bundle.
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const nameOf = (b) => b.group ?? Object.keys(b.entryPoints)[0];
// Test bundles are built only when asked for (`--tests`), or by `--only=tests`.
const wanted = (b) => (only ? nameOf(b) === only : !b.group || process.argv.includes("--tests"));
const builds = all.filter(wanted).map(({ group: _group, ...b }) => b);

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log("esbuild: watching src/ for changes");
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`esbuild: built ${builds.length} bundles in ${Date.now() - started} ms${release ? " (release)" : ""}`);
}
