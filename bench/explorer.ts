// Expanding a remote folder of 1,000 and of 10,000 entries and the stats VS Code makes right after it,
// through the same path the daytona: file system uses (SandboxTarget.list + StatCache), counted at the
// server and at the link; and opening a file just listed. The baseline of the expand: one round trip
// plus the listing's transfer, measured as the download of a file as large as the listing's answer.
import { DaytonaClient } from "../src/core/daytona/client";
import { SandboxTarget } from "../src/core/targets/sandboxTarget";
import { StatCache } from "../src/core/targets/statCache";
import { median, row, timed, type Bench, type Row } from "./lib";

export async function benchExplorer(b: Bench, rtt: number): Promise<Row[]> {
  const L = b.latencyMs;
  const client = new DaytonaClient({ apiUrl: b.apiUrl, apiKey: b.token, target: "local" });
  const rows: Row[] = [];
  try {
    const rec = await client.createSandbox({ name: `bench-explorer-${L}` });
    const target = await SandboxTarget.create(await client.toolbox(rec.id), "bench");
    for (const n of [1000, 10_000]) {
      const dir = `/home/daytona/big${n}`;
      const made = await target.exec(["bash", "-c", 'mkdir -p "$1" && cd "$1" && for ((i = 0; i < $2; i++)); do echo "entry $i" > "f$i.txt"; done', "bash", dir, String(n)]);
      if (made.exitCode !== 0) throw new Error(made.output);
      const expand = async () => {
        const cache = new StatCache();
        const children = await target.list(dir);
        cache.putListing(target.key, dir, children);
        for (const [name] of children) if (!cache.get(target.key, `${dir}/${name}`)) await target.stat(`${dir}/${name}`);
        return { cache, count: children.length };
      };
      await expand(); // warm: the server's first listing of a folder reads it from disk
      const times: number[] = [];
      let requests = 0;
      let link = b.proxy.stats();
      let cache = new StatCache();
      let count = 0;
      for (let i = 0; i < (b.fast ? 3 : 7); i++) {
        await b.resetStats();
        const r = await timed(expand);
        times.push(r.ms);
        requests = (await b.stats()).requests;
        link = b.proxy.stats();
        ({ cache, count } = r.result);
      }
      // The same bytes as the listing's answer, as one file download: one round trip + the transfer.
      const answerBytes = Math.max(1, link.bytesDown - 400);
      const made2 = await target.exec(["sh", "-c", 'head -c "$1" /dev/zero > "$2"', "sh", String(answerBytes), `/home/daytona/same-size-${n}`]);
      if (made2.exitCode !== 0) throw new Error(made2.output);
      const base: number[] = [];
      for (let i = 0; i < (b.fast ? 3 : 7); i++) base.push((await timed(() => target.read(`/home/daytona/same-size-${n}`))).ms);
      const label = n.toLocaleString("en-US");
      rows.push(
        row(`expand a ${label}-entry folder + stat every entry: requests (vs 1)`, L, requests, 1, "requests", `${count} entries; ${link.roundTrips} round trips seen at the link`),
        row(`expand a ${label}-entry folder + stat every entry: time vs one round trip + the listing's transfer`, L, median(times), median(base), "ms", `baseline: download of a ${answerBytes}-byte file (the listing's answer size); plain GET round trip ${rtt.toFixed(1)} ms`),
      );
      if (n === 1000) {
        await b.resetStats();
        const file = `${dir}/f500.txt`;
        if (!cache.get(target.key, file)) await target.stat(file);
        await target.read(file);
        rows.push(row("open a file just listed: requests (vs 1)", L, (await b.stats()).requests, 1, "requests"));
      }
    }
    await client.delete(rec.id);
    return rows;
  } finally {
    await client.dispose();
  }
}
