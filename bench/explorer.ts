// Expanding a 1,000-entry remote folder and the stats VS Code makes right after it, through the same
// path the daytona: file system uses (SandboxTarget.list + StatCache), counted at the server; and
// opening a file just listed.
import { DaytonaClient } from "../src/core/daytona/client";
import { SandboxTarget } from "../src/core/targets/sandboxTarget";
import { StatCache } from "../src/core/targets/statCache";
import { row, timed, type Bench, type Row } from "./lib";

export async function benchExplorer(b: Bench, rtt: number): Promise<Row[]> {
  const L = b.latencyMs;
  const client = new DaytonaClient({ apiUrl: b.server.apiUrl, apiKey: b.server.token, target: "local" });
  try {
    const rec = await client.createSandbox({ name: `bench-explorer-${L}` });
    const target = await SandboxTarget.create(await client.toolbox(rec.id), "bench");
    const dir = "/home/daytona/big";
    const made = await target.exec(["sh", "-c", 'mkdir -p "$1" && cd "$1" && i=0; while [ $i -lt 1000 ]; do echo "entry $i" > "f$i.txt"; i=$((i+1)); done', "sh", dir]);
    if (made.exitCode !== 0) throw new Error(made.output);
    const cache = new StatCache();
    await b.resetStats();
    const listed = await timed(async () => {
      const children = await target.list(dir);
      cache.putListing(target.key, dir, children);
      for (const [name] of children) if (!cache.get(target.key, `${dir}/${name}`)) await target.stat(`${dir}/${name}`);
      return children.length;
    });
    const expandRequests = b.stats().requests;
    await b.resetStats();
    const file = `${dir}/f500.txt`;
    if (!cache.get(target.key, file)) await target.stat(file);
    await target.read(file);
    const openRequests = b.stats().requests;
    await client.delete(rec.id);
    return [
      row("expand a 1,000-entry folder + stat every entry: requests (vs 1)", L, expandRequests, 1, "requests", `${listed.result} entries`),
      row("expand a 1,000-entry folder + stat every entry: time vs one round trip", L, listed.ms, rtt, "ms"),
      row("open a file just listed: requests (vs 1)", L, openRequests, 1, "requests"),
    ];
  } finally {
    await client.dispose();
  }
}
