// Cold sync of the generated workspace against the SDK's uploadFiles of the same files and against
// one raw archive upload of the same bytes (the limit: one stream, nothing else); then a re-sync after
// one edit: round trips and bytes sent.
import * as fs from "node:fs";
import * as path from "node:path";
import * as tar from "tar";
import { sandboxTarget, syncFolder, type SyncProgress } from "../src/core/sync";
import { row, timed, type Bench, type Row } from "./lib";

export interface SyncInput {
  workspace: string;
  files: string[];
  /** An uncompressed tar of the workspace, made once. */
  archive: string;
  cacheRoot: string;
}

export async function makeArchive(workspace: string, out: string): Promise<void> {
  await tar.c({ cwd: workspace, file: out, portable: true }, fs.readdirSync(workspace));
}

export async function benchSync(b: Bench, input: SyncInput): Promise<Row[]> {
  const L = b.latencyMs;
  const sb = await b.daytona.create();
  const rows: Row[] = [];
  const bytes = fs.statSync(input.archive).size;

  const raw = await timed(() => sb.fs.uploadFileStream(fs.createReadStream(input.archive), "/home/daytona/raw.tar"));
  const sdk = await timed(() =>
    sb.fs.uploadFiles(input.files.map((f) => ({ source: path.join(input.workspace, f), destination: `/home/daytona/sdk/${f}` })), 600),
  );
  const cacheDir = path.join(input.cacheRoot, `L${L}`);
  // When each phase began (ms after the start), to show where a cold sync's time goes.
  const phases: string[] = [];
  const start = performance.now();
  const onProgress = (p: SyncProgress) => {
    if (!phases.some((x) => x.startsWith(`${p.phase} `))) phases.push(`${p.phase} @${Math.round(performance.now() - start)}`);
  };
  const cold = await timed(() => syncFolder(sandboxTarget(sb), input.workspace, "/home/daytona/ws-gzip", { cacheDir: `${cacheDir}-gzip`, onProgress }));
  const coldNone = await timed(() => syncFolder(sandboxTarget(sb), input.workspace, "/home/daytona/ws", { cacheDir, compression: "none" }));
  const mb = (bytes / 1e6).toFixed(1);
  rows.push(
    row("cold sync (gzip, as the extension calls it) vs one raw archive upload", L, cold.ms, raw.ms, "ms", `${input.files.length} files, ${mb} MB tar; ${cold.result.roundTrips} round trips, ${cold.result.bytesSent} bytes sent; phases began at (ms): ${phases.join(", ")}`),
    row("cold sync (no compression) vs one raw archive upload", L, coldNone.ms, raw.ms, "ms", `${coldNone.result.roundTrips} round trips, ${coldNone.result.bytesSent} bytes sent`),
    row("cold sync (gzip) vs SDK uploadFiles of the same files", L, cold.ms, sdk.ms, "ms"),
  );

  const edited = input.files[7];
  const editPath = path.join(input.workspace, edited);
  const before = fs.readFileSync(editPath);
  fs.writeFileSync(editPath, Buffer.concat([before, Buffer.from(`\n// edit at ${Date.now()}\n`)]));
  try {
    await b.resetStats();
    const re = await timed(() => syncFolder(sandboxTarget(sb), input.workspace, "/home/daytona/ws", { cacheDir, compression: "none" }));
    const requests = b.stats().requests;
    rows.push(
      row("re-sync after one edit: round trips (vs the budget of 2)", L, re.result.roundTrips, 2, "round trips", `${requests} requests counted at the server, ${re.result.uploadedFiles} file sent, ${re.ms.toFixed(0)} ms`),
      row("re-sync after one edit: bytes sent (vs the edited file's size)", L, re.result.bytesSent, fs.statSync(editPath).size, "bytes", "upload stream: the file in a tar, plus the manifest patch"),
    );
  } finally {
    fs.writeFileSync(editPath, before);
  }
  await sb.delete();
  return rows;
}
