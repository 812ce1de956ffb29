// Sandbox create, snapshot and fork on the local server, each against a plain GET round trip.
import { row, timed, type Bench, type Row } from "./lib";

export async function benchLifecycle(b: Bench, rtt: number): Promise<Row[]> {
  const L = b.latencyMs;
  const created = await timed(() => b.daytona.create({ name: `bench-life-${L}` }, { timeout: 120 }));
  const sb = created.result;
  await sb.process.executeCommand("mkdir -p app && seq 1 20000 > app/data.txt");
  const snap = await timed(() => sb.createSnapshot(`bench-snap-${L}-${Date.now()}`, 120));
  const fork = await timed(() => sb.fork({ name: `bench-fork-${L}` }, 120));
  await fork.result.delete();
  await sb.delete();
  return [
    row("sandbox create vs one round trip", L, created.ms, rtt, "ms"),
    row("sandbox snapshot vs one round trip", L, snap.ms, rtt, "ms"),
    row("sandbox fork vs one round trip", L, fork.ms, rtt, "ms"),
  ];
}
