// Sandbox create, snapshot and fork through the SDK as the extension calls it: each time against a plain
// GET round trip, and the round trips the link saw during it against the budget (the work's one
// request + 3). The SDK ends its waits on pushed socket.io events (polling only as a fallback), so
// the event socket is connected before anything is timed, as it is in a running extension.
import { row, timed, type Bench, type Row } from "./lib";

export async function benchLifecycle(b: Bench, rtt: number): Promise<Row[]> {
  const L = b.latencyMs;
  // Connects the SDK's event socket (a running extension has it open already).
  const warm = await b.daytona.create({ name: `bench-warm-${L}` }, { timeout: 120 });
  await warm.delete();
  const rows: Row[] = [];
  const measure = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    await b.resetStats();
    const r = await timed(f);
    const link = b.proxy.stats();
    rows.push(
      row(`${name}: time vs one round trip`, L, r.ms, rtt, "ms", `${link.roundTrips} round trips, ${link.pushes} pushed events, ${link.connections} new connections seen at the link`),
      row(`${name}: round trips at the link (vs the work's 1 + 3)`, L, link.roundTrips, 4, "round trips", `requests at the server: ${Object.entries((await b.stats()).byRoute).map(([k, v]) => `${k} x${v}`).join(", ")}`),
    );
    return r.result;
  };
  const sb = await measure("sandbox create", () => b.daytona.create({ name: `bench-life-${L}` }, { timeout: 120 }));
  await sb.process.executeCommand("mkdir -p app && seq 1 20000 > app/data.txt");
  await measure("sandbox snapshot", () => sb.createSnapshot(`bench-snap-${L}-${Date.now()}`, 120));
  const fork = await measure("sandbox fork", () => sb.fork({ name: `bench-fork-${L}` }, 120));
  await fork.delete();
  await sb.delete();
  return rows;
}
