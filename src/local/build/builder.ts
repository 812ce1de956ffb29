// Dockerfile builds for a sandbox (POST /sandbox with buildInfo) or a snapshot (POST /snapshots with
// buildInfo) run on the Docker engine: the uploaded contexts are unpacked into one directory, the
// Dockerfile's FROM lines are mapped onto local images (fromImages.ts), and the engine builds it;
// its output is streamed to the build log. The result is an engine image the sandbox or snapshot owns.
import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import * as tar from "tar";
import type { BuildInfoRecord, ImageConfig, SandboxRecord, SnapshotRecord } from "../store/records";
import { removeDir } from "../fsutil";
import { sleep } from "../faults";
import { runtimeInfo, type ApiContext } from "../api/context";
import { setSnapshotState, setState } from "../api/lifecycle";
import { extractContexts } from "./context";
import { mapFromLines } from "./fromImages";

/** The Dockerfile's name inside the context sent to the engine (out of the way of the user's files). */
const DOCKERFILE_NAME = ".daytona-local.Dockerfile";

export interface BuildTarget {
  /** Id the build log is kept under, and owner of the image. */
  logId: string;
  buildInfo: BuildInfoRecord;
  /** Stop early when the target went away (deleted while building). */
  cancelled(): boolean;
}

/** Build on the engine; resolves with the image and its recorded config, or throws with a reason. */
export async function runBuild(ctx: ApiContext, target: BuildTarget): Promise<{ image: string; sizeBytes: number; config: ImageConfig }> {
  const log = (text: string): void => ctx.buildLogs.append(target.logId, text.endsWith("\n") ? text : `${text}\n`);
  const mapped = await mapFromLines(ctx, target.buildInfo.dockerfileContent, log);
  const contextDir = path.join(ctx.store.tmpDir(), `context-${randomUUID()}`);
  const abort = new AbortController();
  const watch = setInterval(() => target.cancelled() && abort.abort(), 500);
  try {
    await fs.mkdir(contextDir, { recursive: true });
    if (target.buildInfo.contextHashes.length) {
      await extractContexts(ctx.store.dataDir, ctx.organizationId, target.buildInfo.contextHashes, contextDir);
    }
    await fs.writeFile(path.join(contextDir, DOCKERFILE_NAME), mapped.text);
    const context = tar.c({ cwd: contextDir, portable: true }, ["."]) as unknown as Readable;
    const img = await ctx.runtime.build({ ownerId: target.logId, dockerfile: DOCKERFILE_NAME, context, log, signal: abort.signal });
    if (target.cancelled()) throw new Error("build cancelled");
    const { entrypoint, cmd, ...rest } = img;
    const config: ImageConfig = { env: {}, labels: {}, ...(entrypoint ? { entrypoint } : {}), ...(cmd ? { cmd } : {}), ...(mapped.dind ? { dind: true } : {}) };
    return { ...rest, config };
  } finally {
    clearInterval(watch);
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
      const built = await runBuild(ctx, { logId: rec.id, buildInfo, cancelled: gone });
      rec.image = built.config;
      rec.engineImage = built.image;
      if (gone()) return;
      ctx.buildLogs.append(rec.id, "Build finished, starting sandbox\n");
      await setState(ctx, rec, "starting");
      await ctx.runtime.create(runtimeInfo(rec), built.image);
      await sleep(ctx.transitionMs);
      if (rec.state === "starting") await setState(ctx, rec, "started");
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      ctx.buildLogs.append(rec.id, `Build failed: ${reason}\n`);
      if (!gone()) await setState(ctx, rec, "build_failed", reason);
    } finally {
      ctx.buildLogs.end(rec.id);
    }
  });
}

export function startSnapshotBuild(ctx: ApiContext, snap: SnapshotRecord): void {
  const buildInfo = snap.buildInfo;
  if (!buildInfo) return;
  ctx.buildLogs.start(snap.id);
  ctx.background(`snapshot build ${snap.id}`, async () => {
    const gone = (): boolean => !ctx.store.snapshots.has(snap.id);
    try {
      await sleep(ctx.transitionMs);
      await setSnapshotState(ctx, snap, "building");
      const built = await runBuild(ctx, { logId: snap.id, buildInfo, cancelled: gone });
      snap.image = built.config;
      snap.engineImage = built.image;
      snap.size = built.sizeBytes / 1024 ** 3;
      ctx.buildLogs.append(snap.id, "Snapshot built\n");
      if (!gone()) await setSnapshotState(ctx, snap, "active");
      else await ctx.runtime.removeImage(built.image);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      ctx.buildLogs.append(snap.id, `Build failed: ${reason}\n`);
      if (!gone()) await setSnapshotState(ctx, snap, "build_failed", reason);
    } finally {
      ctx.buildLogs.end(snap.id);
    }
  });
}
