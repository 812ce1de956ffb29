// Cold sync of the generated workspace against its limit, measured in the same run: the same archive
// uploaded once and extracted once (`tar -x` in one execute), gzipped or not as the sync is; against
// the SDK's uploadFiles of the same files; then a re-sync after one edit: round trips and bytes sent.
// Round trips and connections are counted at the latency proxy.
import * as fs from "node:fs";
import * as path from "node:path";
import * as tar from "tar";
import { sandboxTarget, syncFolder, type SyncProgress } from "../src/core/sync";
import type { Sandbox } from "@daytonaio/sdk";
import type { LinkStats } from "../src/local/latencyProxy";
import { median, row, timed, type Bench, type Row } from "./lib";

export interface SyncInput {
  workspace: string;
  files: string[];
  /** An uncompressed tar of the workspace, made once. */
  archive: string;
  /** The same, gzipped. */
  archiveGz: string;
  cacheRoot: string;
}

export async function makeArchive(workspace: string, out: string, gzip = false): Promise<void> {
  await tar.c({ cwd: workspace, file: out, portable: true, gzip }, fs.readdirSync(workspace));
}

/** The limit of any sync: the same archive uploaded once, then extracted with one `tar -x` in one execute. */
async function uploadAndExtract(sb: Sandbox, archive: string, dir: string, gzip: boolean): Promise<{ extractMs: number }> {
  const remote = `${dir}.tar${gzip ? ".gz" : ""}`;
  await sb.fs.uploadFileStream(fs.createReadStream(archive), remote);
  const t0 = performance.now();
  const r = await sb.process.executeCommand(`mkdir -p ${dir} && tar -x${gzip ? "z" : ""}f ${remote} -C ${dir} && rm -f ${remote}`);
  if (r.exitCode !== 0) throw new Error(`tar -x failed: ${r.result}`);
  return { extractMs: performance.now() - t0 };
}

export async function benchSync(b: Bench, input: SyncInput): Promise<Row[]> {
  const L = b.latencyMs;
  const sb = await b.daytona.create();
  const rows: Row[] = [];
  const bytes = fs.statSync(input.archive).size;
  const home = "/home/daytona";

  // Warm the sandbox's toolbox connection the way the extension's would be.
  await sb.process.executeCommand("true");
  // Repeated and interleaved (limit, then sync, each round), medians reported: a shared machine is noisy.
  const reps = b.fast ? 1 : 3;
  const times = { limit: [] as number[], limitGz: [] as number[], cold: [] as number[], coldNone: [] as number[], extractGz: [] as number[], applyGz: [] as number[] };
  let limitLink = b.proxy.stats();
  let coldLink = limitLink;
  let coldNoneLink = limitLink;
  // When each phase began (ms after the start), to show where a cold sync's time goes (last round).
  let phases: string[] = [];
  let coldEnd = 0;
  let cacheDir = "";
  let wsDir = "";
  for (let i = 0; i < reps; i++) {
    await b.resetStats();
    const lim = await timed(() => uploadAndExtract(sb, input.archive, `${home}/limit${i}`, false));
    times.limit.push(lim.ms);
    limitLink = b.proxy.stats();
    const limGz = await timed(() => uploadAndExtract(sb, input.archiveGz, `${home}/limit-gz${i}`, true));
    times.limitGz.push(limGz.ms);
    times.extractGz.push(limGz.result.extractMs);
    cacheDir = path.join(input.cacheRoot, `L${L}-${i}`);
    phases = [];
    const start = performance.now();
    let applyAt = 0;
    const onProgress = (p: SyncProgress) => {
      if (p.phase === "apply" && p.done === 0) applyAt = performance.now();
      if (!phases.some((x) => x.startsWith(`${p.phase} `))) phases.push(`${p.phase} @${Math.round(performance.now() - start)}`);
    };
    await b.resetStats();
    times.cold.push((await timed(() => syncFolder(sandboxTarget(sb), input.workspace, `${home}/ws-gzip${i}`, { cacheDir: `${cacheDir}-gzip`, onProgress }))).ms);
    coldEnd = Math.round(performance.now() - start);
    times.applyGz.push(performance.now() - applyAt);
    coldLink = b.proxy.stats();
    await b.resetStats();
    wsDir = `${home}/ws${i}`;
    times.coldNone.push((await timed(() => syncFolder(sandboxTarget(sb), input.workspace, wsDir, { cacheDir, compression: "none" }))).ms);
    coldNoneLink = b.proxy.stats();
  }
  const limit = { ms: median(times.limit) };
  const limitGz = { ms: median(times.limitGz) };
  const cold = { ms: median(times.cold) };
  const coldNone = { ms: median(times.coldNone) };
  const mb = (bytes / 1e6).toFixed(1);
  const gzMb = (fs.statSync(input.archiveGz).size / 1e6).toFixed(1);
  const link = (s: LinkStats) => `${s.roundTrips} round trips and ${s.connections} new connections seen at the link`;
  rows.push(
    row(
      "cold sync (gzip, as the extension calls it) vs the same .tar.gz uploaded + one tar -xz",
      L,
      cold.ms,
      limitGz.ms,
      "ms",
      `median of ${reps}; ${input.files.length} files, ${mb} MB tar, ${gzMb} MB gzipped; ${link(coldLink)}; apply step ${median(times.applyGz).toFixed(0)} ms vs the limit's tar -xz ${median(times.extractGz).toFixed(0)} ms (medians, each one execute); last round's phases began at (ms): ${phases.join(", ")}, done @${coldEnd}`,
    ),
    row("cold sync (no compression) vs the same .tar uploaded + one tar -x", L, coldNone.ms, limit.ms, "ms", `${link(coldNoneLink)} (the limit: ${link(limitLink)})`),
  );
  if (!b.fast) {
    const sdk = await timed(() => sb.fs.uploadFiles(input.files.map((f) => ({ source: path.join(input.workspace, f), destination: `${home}/sdk/${f}` })), 600));
    rows.push(row("cold sync (gzip) vs SDK uploadFiles of the same files", L, cold.ms, sdk.ms, "ms"));
  }

  const edited = input.files[7];
  const editPath = path.join(input.workspace, edited);
  const before = fs.readFileSync(editPath);
  fs.writeFileSync(editPath, Buffer.concat([before, Buffer.from(`\n// edit at ${Date.now()}\n`)]));
  try {
    await b.resetStats();
    const re = await timed(() => syncFolder(sandboxTarget(sb), input.workspace, wsDir, { cacheDir, compression: "none" }));
    const requests = (await b.stats()).requests;
    rows.push(
      row("re-sync after one edit: round trips (vs the budget of 2)", L, b.proxy.stats().roundTrips, 2, "round trips", `seen at the link; ${requests} requests counted at the server, ${re.result.uploadedFiles} file sent, ${re.ms.toFixed(0)} ms`),
      row("re-sync after one edit: bytes sent (vs the edited file's size)", L, re.result.bytesSent, fs.statSync(editPath).size, "bytes", "upload stream: the file in a tar, plus the manifest patch"),
    );
  } finally {
    fs.writeFileSync(editPath, before);
  }
  await sb.delete();
  return rows;
}
