// Shared by the benchmark files: the row every measurement reports, a local server behind the latency
// proxy and a real SDK client, the server's request counters, and the generated workspace.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { Daytona } from "@daytonaio/sdk";
import { startLatencyProxy, type LatencyProxy } from "../src/local/latencyProxy";
import { removeInstance } from "../src/local/runtime/reconcile";
import type { Stats } from "../src/local/stats";

const SERVER = path.resolve(__dirname, "../dist/local-server.js");
/** Ready containers the bench's server keeps per default snapshot (the local server's default, 2). */
export const WARM_POOL = 2;

process.env.NO_PROXY = "127.0.0.1,localhost";
process.env.no_proxy = "127.0.0.1,localhost";

export interface Row {
  name: string;
  latencyMs: number | null;
  value: number;
  baseline: number | null;
  /** value / baseline */
  ratio: number | null;
  unit: string;
  /** What the baseline is, and anything a reader needs to read the number. */
  note?: string;
}

export function row(name: string, latencyMs: number | null, value: number, baseline: number | null, unit: string, note?: string): Row {
  const r = (x: number) => Math.round(x * 100) / 100;
  return { name, latencyMs, value: r(value), baseline: baseline === null ? null : r(baseline), ratio: baseline ? r(value / baseline) : null, unit, note };
}

export interface Bench {
  /** The API URL through the latency proxy: everything the bench sends pays the link. */
  apiUrl: string;
  token: string;
  daytona: Daytona;
  /** Round-trip time the link adds (ms). */
  latencyMs: number;
  proxy: LatencyProxy;
  /** Fewer repetitions (BENCH_FAST=1), for iterating. */
  fast: boolean;
  /** Resets the server's request counters and the link's. */
  resetStats(): Promise<void>;
  /** The server's request counters (read over HTTP: the server runs in its own process). */
  stats(): Promise<Stats>;
  /** Median time of a plain authenticated GET on a warm connection (the round trip others are compared with). */
  rtt(): Promise<number>;
  stop(): Promise<void>;
}

export const FAST = process.env.BENCH_FAST === "1";

/**
 * The local server in its own process (dist/local-server.js, the same bundle users run), with the
 * latency proxy in this process in front of it; the server hands out the proxy's URLs, so the SDK's
 * toolbox, WebSocket and socket.io traffic pays the link too. Only HTTP and the SDK reach the server,
 * so whatever runtime it uses underneath, the bench stays the same.
 */
export async function startBench(latencyMs: number): Promise<Bench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-bench-"));
  let innerPort = 0;
  const proxy = await startLatencyProxy(() => innerPort, { rttMs: latencyMs });
  // --purge-on-exit: its containers and images leave the engine with it (its data dir is removed in stop).
  const child = spawn(process.execPath, [SERVER, "--port", "0", "--data", dataDir, "--transition-ms", "50", "--warm-pool", String(WARM_POOL), "--public-origin", proxy.origin, "--purge-on-exit"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const errors: string[] = [];
  child.stderr!.on("data", (d: Buffer) => {
    errors.push(d.toString());
    if (errors.length > 50) errors.shift();
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`local server exited (${code}) before it was ready:\n${errors.join("")}`)));
  });
  const info = JSON.parse(line) as { apiUrl: string; token: string };
  innerPort = Number(new URL(info.apiUrl).port);
  const apiUrl = `${proxy.origin}/api`;
  const token = info.token;
  const daytona = new Daytona({ apiKey: token, apiUrl, target: "local" });
  const headers = { authorization: `Bearer ${token}` };
  return {
    apiUrl,
    token,
    daytona,
    latencyMs,
    proxy,
    fast: FAST,
    async resetStats() {
      // Straight to the server: the counters' own requests are not part of what is measured.
      await fetch(`${info.apiUrl}/_local/stats/reset`, { method: "POST", headers });
      proxy.resetStats();
    },
    async stats() {
      return (await (await fetch(`${info.apiUrl}/_local/stats`, { headers })).json()) as Stats;
    },
    async rtt() {
      const times: number[] = [];
      for (let i = 0; i < (FAST ? 8 : 18); i++) {
        const t0 = performance.now();
        const r = await fetch(`${apiUrl}/snapshots`, { headers });
        await r.arrayBuffer();
        if (i > 2) times.push(performance.now() - t0); // the first ones open the connection and warm up
      }
      return median(times);
    },
    async stop() {
      await daytona[Symbol.asyncDispose]();
      child.kill("SIGTERM");
      await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once("exit", () => r())));
      await proxy.close();
      // Again, for a server that died before its own purge: nothing of this instance stays on the engine.
      await removeInstance(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await f();
  return { ms: performance.now() - t0, result };
}

const WORDS = "const let function return import export from async await class interface type string number if else for while switch case break default new this null undefined true false".split(" ");

/**
 * The workspace: `files` source-like text files (compressible, as code is) of `bytesEach` bytes in
 * 40 folders, made once per run. Returns the folder and the list of relative paths.
 */
export function makeWorkspace(root: string, files = 2000, bytesEach = 10_000): string[] {
  const rels: string[] = [];
  const seed = randomBytes(files * 4);
  for (let i = 0; i < files; i++) {
    const rel = `pkg${i % 40}/src/file${i}.ts`;
    let text = `// file ${i}\n`;
    let j = seed.readUInt32LE(i * 4);
    while (text.length < bytesEach) {
      j = (Math.imul(j, 1103515245) + 12345) >>> 0;
      text += `${WORDS[j % WORDS.length]}${j % 7 === 0 ? "\n" : " "}`;
    }
    fs.mkdirSync(path.join(root, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text.slice(0, bytesEach));
    rels.push(rel);
  }
  return rels;
}

export function machine(): { nproc: number; memoryGiB: number; cpu: string; node: string; os: string; date: string } {
  let nproc = os.cpus().length;
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim()) || nproc;
  } catch {
    // nproc missing: the cpu count stands
  }
  return {
    nproc,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    cpu: os.cpus()[0]?.model ?? "unknown",
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}
