// Shared by the benchmark files: the row every measurement reports, a local server with added latency
// and a real SDK client, the server's request counters, and the generated workspace.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Daytona } from "@daytonaio/sdk";
import { startLocalServer, type LocalServer } from "../src/local/server";

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
  server: LocalServer;
  daytona: Daytona;
  latencyMs: number;
  dataDir: string;
  resetStats(): Promise<void>;
  stats(): ReturnType<LocalServer["stats"]>;
  /** Median time of a plain authenticated GET (the round trip every other time is compared with). */
  rtt(): Promise<number>;
  stop(): Promise<void>;
}

export async function startBench(latencyMs: number): Promise<Bench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-bench-"));
  const server = await startLocalServer({ dataDir, latencyMs, transitionMs: 50 });
  const daytona = new Daytona({ apiKey: server.token, apiUrl: server.apiUrl, target: "local" });
  const headers = { authorization: `Bearer ${server.token}` };
  return {
    server,
    daytona,
    latencyMs,
    dataDir,
    async resetStats() {
      await fetch(`${server.apiUrl}/_local/stats/reset`, { method: "POST", headers });
    },
    stats: () => server.stats(),
    async rtt() {
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        const r = await fetch(`${server.apiUrl}/snapshots`, { headers });
        await r.arrayBuffer();
        times.push(performance.now() - t0);
      }
      return median(times);
    },
    async stop() {
      await daytona[Symbol.asyncDispose]();
      await server.stop();
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
