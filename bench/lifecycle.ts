// Sandbox create, snapshot and fork as the extension calls them (DaytonaClient.createSandbox,
// snapshotSandbox, forkSandbox: the SDK underneath, ending its waits on pushed socket.io events with
// polling only as a fallback): each time against a plain GET round trip, and the round trips the link
// saw during it against the budget (the work's one request + 3). The event socket is connected before
// anything is timed, as it is in a running extension. A create from a default snapshot takes a ready
// container of the server's warm pool; a create from the snapshot just taken has none (the engine
// creates and starts a container): both are measured.
import { DaytonaClient } from "../src/core/daytona/client";
import { forkSandbox, snapshotSandbox } from "../src/core/daytona/snapshotFork";
import { row, timed, WARM_POOL, type Bench, type Row } from "./lib";

/**
 * The same operations on the earlier bubblewrap runtime (before the container runtime of issue #13),
 * at 0 ms added latency: the bench's run of 2026-11-30 19:40 UTC and scripts/measure-runtime.ts.
 */
export const BUBBLEWRAP_MS: Record<string, { bench: number; measureRuntime: number }> = {
  "sandbox create": { bench: 55.49, measureRuntime: 68 },
  "sandbox snapshot": { bench: 72.12, measureRuntime: 89 },
  "sandbox fork": { bench: 72.17, measureRuntime: 82 },
};

export async function benchLifecycle(b: Bench, rtt: number): Promise<Row[]> {
  const L = b.latencyMs;
  const client = new DaytonaClient({ apiUrl: b.apiUrl, apiKey: b.token, target: "local" });
  const rows: Row[] = [];
  try {
    // Connects the SDK's event socket (a running extension has it open already).
    const warm = await client.createSandbox({ name: `bench-warm-${L}` });
    await client.delete(warm.id);
    const measure = async <T>(name: string, f: () => Promise<T>, what: string): Promise<T> => {
      await b.resetStats();
      const r = await timed(f);
      const link = b.proxy.stats();
      const routes = Object.entries((await b.stats()).byRoute).map(([k, v]) => `${k} x${v}`).join(", ");
      rows.push(
        row(`${name}: time vs one round trip`, L, r.ms, rtt, "ms", `${what}; ${link.roundTrips} round trips, ${link.pushes} pushed events, ${link.connections} new connections seen at the link`),
        row(`${name}: round trips at the link (vs the work's 1 + 3)`, L, link.roundTrips, 4, "round trips", `requests at the server: ${routes}`),
      );
      return r.result;
    };
    // Give the pool time to refill after the warm-up create (a container start, about 0.25 s here).
    await new Promise((r) => setTimeout(r, 1500));
    const parent = await measure("sandbox create", () => client.createSandbox({ name: `bench-life-${L}` }), `from a default snapshot: a ready container of the server's warm pool (${WARM_POOL} per default snapshot)`);
    const sdk = await client.toolbox(parent.id);
    await sdk.process.executeCommand("mkdir -p app && seq 1 20000 > app/data.txt");
    const snapshot = `bench-snap-${L}-${Date.now()}`;
    await measure("sandbox snapshot", () => snapshotSandbox(client, parent.id, snapshot, 120), "a commit of the running container to an image");
    const fork = await measure("sandbox fork", () => forkSandbox(client, parent, `bench-fork-${L}`, 120), "a commit of the running container and a container of that image");
    const cold = await measure("sandbox create, no warm container (from the snapshot just taken)", () => client.createSandbox({ name: `bench-cold-${L}`, snapshot }), "the engine creates and starts a container");
    await client.delete(cold.id);
    await client.delete(fork.id);
    await client.delete(parent.id);
    return rows;
  } finally {
    await client.dispose();
  }
}
