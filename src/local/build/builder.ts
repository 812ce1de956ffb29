// Runs a Dockerfile build for a sandbox (POST /sandbox with buildInfo) or a snapshot
// (POST /snapshots with buildInfo). The build happens in the target's own directory: FROM copies a
// local snapshot in (any other image means the host system as base), RUN runs inside the building
// sandbox, COPY/ADD take files from the uploaded contexts. Output goes to the build log.
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import type { SandboxRuntimeInfo } from "../contract";
import type { BuildInfoRecord, ImageConfig, SandboxRecord, SnapshotRecord } from "../store/records";
import { copyDir, dirSize, removeDir } from "../fsutil";
import { sleep } from "../faults";
import { runtimeInfo, type ApiContext } from "../api/context";
import { setSnapshotState, setState } from "../api/lifecycle";
import { extractContexts } from "./context";
import { parseDockerfile } from "./dockerfile";
import { runInstructions } from "./steps";

export interface BuildTarget {
  /** Id the build log is kept under. */
  logId: string;
  info: SandboxRuntimeInfo;
  buildInfo: BuildInfoRecord;
  /** Stop early when the target went away (deleted while building). */
  cancelled(): boolean;
}

/** Build into `target.info`'s directory; resolves with the image config or throws with a reason. */
export async function runBuild(ctx: ApiContext, target: BuildTarget): Promise<ImageConfig> {
  const log = (text: string): void => ctx.buildLogs.append(target.logId, text.endsWith("\n") ? text : `${text}\n`);
  const instructions = parseDockerfile(target.buildInfo.dockerfileContent);
  const contextDir = path.join(ctx.store.tmpDir(), `context-${randomUUID()}`);
  try {
    if (target.buildInfo.contextHashes.length) {
      await extractContexts(ctx.store.dataDir, ctx.organizationId, target.buildInfo.contextHashes, contextDir);
    }
    return await runInstructions(ctx, target, instructions, contextDir, log);
  } finally {
    await removeDir(contextDir);
  }
}

export function startSandboxBuild(ctx: ApiContext, rec: SandboxRecord): void {
  const buildInfo = rec.buildInfo;
  if (!buildInfo) return;
  ctx.buildLogs.start(rec.id);
  ctx.background(`build ${rec.id}`, async () => {
    const gone = (): boolean => rec.state === "destroying" || rec.state === "destroyed";
    try {
      await sleep(ctx.transitionMs);
      if (gone()) return;
      await setState(ctx, rec, "building_snapshot");
      rec.image = await runBuild(ctx, { logId: rec.id, info: runtimeInfo(rec), buildInfo, cancelled: gone });
      if (gone()) return;
      ctx.buildLogs.append(rec.id, "Build finished, starting sandbox\n");
      await setState(ctx, rec, "starting");
      await ctx.runtime.prepare(runtimeInfo(rec));
      await sleep(ctx.transitionMs);
      if (rec.state === "starting") await setState(ctx, rec, "started");
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      ctx.buildLogs.append(rec.id, `Build failed: ${reason}\n`);
      if (!gone()) {
        await ctx.runtime.killAll(rec.id);
        await setState(ctx, rec, "build_failed", reason);
      }
    } finally {
      ctx.buildLogs.end(rec.id);
    }
  });
}

/** Snapshot builds run in a scratch sandbox directory that is then copied into the snapshot. */
export function startSnapshotBuild(ctx: ApiContext, snap: SnapshotRecord): void {
  const buildInfo = snap.buildInfo;
  if (!buildInfo) return;
  ctx.buildLogs.start(snap.id);
  ctx.background(`snapshot build ${snap.id}`, async () => {
    const info: SandboxRuntimeInfo = { id: randomUUID(), user: "daytona", env: {}, networkBlockAll: false };
    const gone = (): boolean => !ctx.store.snapshots.has(snap.id);
    try {
      await sleep(ctx.transitionMs);
      await setSnapshotState(ctx, snap, "building");
      snap.image = await runBuild(ctx, { logId: snap.id, info, buildInfo, cancelled: gone });
      if (snap.image.entrypoint) snap.entrypoint = snap.image.entrypoint;
      await copyDir(ctx.runtime.hostDir(info.id), ctx.store.snapshotDir(snap.id));
      snap.size = (await dirSize(ctx.store.snapshotDir(snap.id))) / 1024 ** 3;
      ctx.buildLogs.append(snap.id, "Snapshot built\n");
      if (!gone()) await setSnapshotState(ctx, snap, "active");
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      ctx.buildLogs.append(snap.id, `Build failed: ${reason}\n`);
      if (!gone()) await setSnapshotState(ctx, snap, "build_failed", reason);
    } finally {
      await ctx.runtime.killAll(info.id);
      await removeDir(ctx.runtime.hostDir(info.id));
      ctx.buildLogs.end(snap.id);
    }
  });
}
