// Times of the local server's sandbox lifecycle on the container runtime, through the real SDK:
// create (cold, and from the warm pool), fork, snapshot, stop, start, archive and start from archived.
// Each is the SDK call until the sandbox (or snapshot) is ready; the median of `--runs N` (default 5).
// Also the size of the archive file of a sandbox that wrote 50 MB (<data>/archives/<id>.tar).
//   npx tsx scripts/measure-runtime.ts [--runs N]
import { mkdtemp, realpath, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Daytona, type Sandbox } from "@daytonaio/sdk";
import { startLocalServer } from "../src/local/server";
import { removeInstance } from "../src/local/runtime/reconcile";

process.env.NO_PROXY = "127.0.0.1,localhost";
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function withServer<T>(warmPool: number, fn: (d: Daytona, dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "measure-runtime-"));
  const server = await startLocalServer({ dataDir, warmPool, transitionMs: 0 });
  const daytona = new Daytona({ apiKey: server.token, apiUrl: server.apiUrl, target: "local" });
  try {
    return await fn(daytona, await realpath(dataDir));
  } finally {
    const all: Sandbox[] = [];
    for await (const sb of daytona.list()) all.push(sb);
    await Promise.allSettled(all.map((sb) => sb.delete(60, true)));
    await daytona[Symbol.asyncDispose]();
    await server.stop();
    await removeInstance(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: [string, number[]][] = [];
  const archiveBytes: number[] = [];
  await withServer(0, async (d, dataDir) => {
    const cold: number[] = [];
    for (let i = 0; i < RUNS; i++) cold.push(await time(() => d.create()));
    rows.push(["create (no warm pool)", cold]);
    const sb = await d.create();
    await sb.process.executeCommand("head -c 50000000 /dev/urandom > ~/data.bin");
    const fork: number[] = [];
    const snap: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      fork.push(await time(() => sb.fork()));
      snap.push(await time(() => sb.createSnapshot(`measure-${process.pid}-${i}`)));
    }
    rows.push(["fork of a running sandbox (50 MB written)", fork]);
    rows.push(["snapshot of a running sandbox (50 MB written)", snap]);
    const stop: number[] = [];
    const start: number[] = [];
    const archive: number[] = [];
    const unarchive: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      stop.push(await time(() => sb.stop()));
      start.push(await time(() => sb.start()));
      await sb.stop();
      // The SDK's archive returns once the server accepted it: wait for "archived" as clients do.
      archive.push(
        await time(async () => {
          await sb.archive();
          for (let n = 0; n < 600 && sb.state !== "archived"; n++) {
            await sleep(100);
            await sb.refreshData();
          }
        }),
      );
      archiveBytes.push((await stat(path.join(dataDir, "archives", `${sb.id}.tar`))).size);
      unarchive.push(await time(() => sb.start()));
    }
    rows.push(["stop", stop], ["start (stopped)", start], ["archive (stopped, 50 MB written)", archive], ["start from archived", unarchive]);
  });
  await withServer(2, async (d) => {
    await sleep(8000);
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      warm.push(await time(() => d.create()));
      // Let the pool refill before the next one.
      await sleep(4000);
    }
    rows.push(["create (warm pool of 2)", warm]);
  });
  console.log(`| operation (SDK call until ready) | median ms | runs (ms) |\n|---|---|---|`);
  for (const [name, xs] of rows) console.log(`| ${name} | ${Math.round(median(xs))} | ${xs.map((x) => Math.round(x)).join(", ")} |`);
  console.log(`\narchive file of the sandbox that wrote 50 MB: ${archiveBytes.map((b) => `${(b / 1e6).toFixed(1)} MB`).join(", ")}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
