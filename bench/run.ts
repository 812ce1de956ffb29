// `npm run bench`: the project's benchmark (not part of npm test). Starts the local server behind the
// latency proxy at 0, 20, 50 and 150 ms of round trip and measures each number against its baseline in
// the same run; then the numbers that need the extension host and the packaged extension. Writes
// bench/results/latest.json, latest.md and latest.png (the chart). BENCH_LATENCIES=0,20 and
// BENCH_SKIP=idle,package,large narrow a run; BENCH_FAST=1 takes fewer repetitions.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderChart } from "./chart";
import { benchExplorer } from "./explorer";
import { benchIdle } from "./extensionHost";
import { benchLifecycle, BUBBLEWRAP_MS } from "./lifecycle";
import { machine, makeWorkspace, startBench, type Row } from "./lib";
import { benchPackage } from "./package";
import { benchSync, makeArchive } from "./sync";
import { benchTerminal } from "./terminal";
import { benchLargeFile } from "./largeFile";

const root = path.resolve(__dirname, "..");
const latencies = (process.env.BENCH_LATENCIES ?? "0,20,50,150").split(",").map(Number);
const skip = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const t0 = Date.now();
const say = (m: string) => console.error(`[bench ${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}`);

function markdown(rows: Row[], m: ReturnType<typeof machine>): string {
  const fmt = (x: number | null) => (x === null ? "" : String(x));
  const lines = [
    `Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}; ${m.date}`,
    "",
    "| measurement | latency ms | value | baseline | ratio | unit | note |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.name} | ${r.latencyMs ?? ""} | ${fmt(r.value)} | ${fmt(r.baseline)} | ${fmt(r.ratio)} | ${r.unit} | ${(r.note ?? "").replace(/\|/g, "\\|")} |`),
  ];
  return lines.join("\n") + "\n" + latencyCost(rows) + runtimeTable(rows);
}

/** Create, snapshot and fork at 0 ms on the container runtime, beside the earlier bubblewrap runtime's figures. */
function runtimeTable(rows: Row[]): string {
  const at0 = (name: string) => rows.find((r) => r.latencyMs === 0 && r.name === `${name}: time vs one round trip`)?.value;
  const ops: [string, string, string][] = [
    ["create (a warm-pool container)", "sandbox create", "sandbox create"],
    ["create, no warm container", "sandbox create, no warm container (from the snapshot just taken)", "sandbox create"],
    ["snapshot", "sandbox snapshot", "sandbox snapshot"],
    ["fork", "sandbox fork", "sandbox fork"],
  ];
  if (at0("sandbox create") === undefined) return "";
  return [
    "",
    "Create, snapshot and fork at 0 ms added latency (ms): the container runtime in this run, the earlier bubblewrap",
    "runtime beside it (its bench run of 2026-11-30 19:40 UTC, and scripts/measure-runtime.ts; it had no warm pool):",
    "",
    "| operation | containers (this run) | bubblewrap (bench) | bubblewrap (measure-runtime) |",
    "|---|---|---|---|",
    ...ops.map(([label, name, old]) => `| ${label} | ${at0(name) ?? ""} | ${BUBBLEWRAP_MS[old].bench} | ${BUBBLEWRAP_MS[old].measureRuntime} |`),
  ].join("\n") + "\n";
}

/**
 * What the link costs each timed measure, in round trips: (time at L - time at 0) / L. A sequence of
 * n dependent round trips costs n; a cost that grows with L beyond the round trips the link counted
 * is a wait that depends on latency.
 */
function latencyCost(rows: Row[]): string {
  const atZero = new Map(rows.filter((r) => r.latencyMs === 0 && r.unit === "ms").map((r) => [r.name, r.value]));
  const withL = [...new Set(rows.filter((r) => r.unit === "ms" && (r.latencyMs ?? 0) > 0).map((r) => r.latencyMs!))].sort((a, b) => a - b);
  const names = [...new Set(rows.filter((r) => r.unit === "ms" && (r.latencyMs ?? 0) > 0 && atZero.has(r.name)).map((r) => r.name))];
  if (!names.length) return "";
  const cost = (name: string, L: number) => {
    const r = rows.find((x) => x.name === name && x.latencyMs === L);
    return r ? ((r.value - atZero.get(name)!) / L).toFixed(1) : "";
  };
  return [
    "",
    "Latency cost in round trips, (time at L - time at 0) / L:",
    "",
    `| measurement | ${withL.map((L) => `${L} ms`).join(" | ")} |`,
    `|---|${withL.map(() => "---").join("|")}|`,
    ...names.map((n) => `| ${n} | ${withL.map((L) => cost(n, L)).join(" | ")} |`),
  ].join("\n") + "\n";
}

async function main(): Promise<void> {
  const m = machine();
  if (!fs.existsSync(path.join(root, "dist", "local-server.js"))) throw new Error("dist/local-server.js is missing: npm run build first");
  const rows: Row[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-bench-ws-"));
  try {
    const workspace = path.join(tmp, "ws");
    const files = makeWorkspace(workspace);
    const archive = path.join(tmp, "ws.tar");
    await makeArchive(workspace, archive);
    const archiveGz = path.join(tmp, "ws.tar.gz");
    await makeArchive(workspace, archiveGz, true);
    say(`workspace: ${files.length} files, archive ${(fs.statSync(archive).size / 1e6).toFixed(1)} MB`);
    for (const L of latencies) {
      const b = await startBench(L);
      try {
        rows.push(...(await benchSync(b, { workspace, files, archive, archiveGz, cacheRoot: path.join(tmp, "cache") })));
        say(`latency ${L} ms: sync done`);
        // After the sync: a server that just started is still busy for a while.
        const rtt = await b.rtt();
        say(`latency ${L} ms: GET round trip ${rtt.toFixed(1)} ms`);
        rows.push(...(await benchExplorer(b, rtt)));
        rows.push(...(await benchTerminal(b, rtt)));
        rows.push(...(await benchLifecycle(b, rtt)));
        say(`latency ${L} ms: explorer, terminal, lifecycle done`);
      } finally {
        await b.stop();
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!skip.has("package")) {
    rows.push(...benchPackage(root));
    say("package and activation done");
  }
  if (!skip.has("large")) {
    rows.push(...(await benchLargeFile())); // needs dist/local-server.js, which the package step built
    say("large file done");
  }
  if (!skip.has("idle")) {
    rows.push(...benchIdle(root));
    say("idle requests done");
  }
  const outDir = path.join(root, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "latest.json"), JSON.stringify({ machine: m, durationSeconds: Math.round((Date.now() - t0) / 1000), rows }, null, 2) + "\n");
  const md = markdown(rows, m);
  fs.writeFileSync(path.join(outDir, "latest.md"), md);
  process.stdout.write(md);
  await renderChart(rows, path.join(outDir, "latest.png"), `npm run bench, ${m.date.slice(0, 10)}: ${m.nproc} CPUs (${m.cpu}), Node ${m.node}`);
  say(`done: bench/results/latest.json, latest.md and latest.png`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
