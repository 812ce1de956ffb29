// Sandbox create, snapshot and fork as the extension calls them (DaytonaClient.createSandbox,
// snapshotSandbox, forkSandbox: the SDK underneath, ending its waits on pushed socket.io events with
// polling only as a fallback): each time against a plain GET round trip, and the round trips the link
// saw during it against the budget (the work's one request + 3). The event socket is connected before
// anything is timed, as it is in a running extension.
import { DaytonaClient } from "../src/core/daytona/client";
import { forkSandbox, snapshotSandbox } from "../src/core/daytona/snapshotFork";
import { row, timed, type Bench, type Row } from "./lib";

export async function benchLifecycle(b: Bench, rtt: number): Promise<Row[]> {
  const L = b.latencyMs;
  const client = new DaytonaClient({ apiUrl: b.apiUrl, apiKey: b.token, target: "local" });
  const rows: Row[] = [];
  try {
    // Connects the SDK's event socket (a running extension has it open already).
    const warm = await client.createSandbox({ name: `bench-warm-${L}` });
    await client.delete(warm.id);
    const measure = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
      await b.resetStats();
      const r = await timed(f);
      const link = b.proxy.stats();
      const routes = Object.entries((await b.stats()).byRoute).map(([k, v]) => `${k} x${v}`).join(", ");
      rows.push(
        row(`${name}: time vs one round trip`, L, r.ms, rtt, "ms", `${link.roundTrips} round trips, ${link.pushes} pushed events, ${link.connections} new connections seen at the link`),
        row(`${name}: round trips at the link (vs the work's 1 + 3)`, L, link.roundTrips, 4, "round trips", `requests at the server: ${routes}`),
      );
      return r.result;
    };
    const parent = await measure("sandbox create", () => client.createSandbox({ name: `bench-life-${L}` }));
    const sdk = await client.toolbox(parent.id);
    await sdk.process.executeCommand("mkdir -p app && seq 1 20000 > app/data.txt");
    await measure("sandbox snapshot", () => snapshotSandbox(client, parent.id, `bench-snap-${L}-${Date.now()}`, 120));
    const fork = await measure("sandbox fork", () => forkSandbox(client, parent, `bench-fork-${L}`, 120));
    await client.delete(fork.id);
    await client.delete(parent.id);
    return rows;
  } finally {
    await client.dispose();
  }
}
