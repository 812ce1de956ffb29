// Start-up: make sure the default snapshots exist, and settle records against the engine. Policy:
// processes never survive a restart, but a sandbox that was started (or on its way there) comes back
// "started" with its files intact when its container is there, so clients carry on; stopping becomes
// stopped, interrupted deletes finish, interrupted builds fail, a missing container is an error.
import { randomUUID } from "node:crypto";
import { removeDir } from "../fsutil";
import type { SnapshotRecord } from "../store/records";
import { DEFAULT_SNAPSHOT, runtimeInfo, type ApiContext } from "./context";
import { imageInUse } from "./lifecycle";

const DEFAULTS: [string, number, number, number][] = [
  [DEFAULT_SNAPSHOT, 1, 1, 3],
  ["daytona-medium", 2, 4, 8],
  ["daytona-large", 4, 8, 10],
];

export async function ensureDefaultSnapshots(ctx: ApiContext): Promise<void> {
  for (const [name, cpu, mem, disk] of DEFAULTS) {
    if (ctx.store.findSnapshot(name)) continue;
    const now = new Date().toISOString();
    const rec: SnapshotRecord = {
      id: randomUUID(),
      organizationId: ctx.organizationId,
      general: true,
      name,
      imageName: "daytonaio/sandbox:local",
      engineImage: ctx.runtime.baseImage,
      state: "active",
      size: 0,
      entrypoint: ["sleep", "infinity"],
      cpu,
      gpu: 0,
      mem,
      disk,
      errorReason: null,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: now,
      sourceSandboxId: null,
    };
    await ctx.store.saveSnapshot(rec);
  }
}

/**
 * Start-up: every record is checked against the engine. A sandbox that was started (or on its way)
 * is started again; one whose container is gone is "error" with the reason, never silently
 * "started"; containers of this instance that no record owns are removed.
 */
export async function recoverAfterRestart(ctx: ApiContext): Promise<void> {
  const restarted = "the local server restarted during this operation";
  const gone = (what: string) => `its container is gone (${what}); delete it, or create it again`;
  for (const rec of [...ctx.store.sandboxes.values()]) {
    const status = rec.state === "archived" ? "archived" : await ctx.runtime.status(rec.id);
    switch (rec.state) {
      case "creating":
      case "starting":
      case "snapshotting":
      case "started":
        if (status === "missing" && (await ctx.runtime.hasArchive(rec.id))) {
          // A start from archived that the restart cut short: the archive file is still the truth.
          rec.state = "archived";
          rec.errorReason = undefined;
          break;
        }
        if (status === "missing") {
          rec.errorReason = gone(`found at a server start, state was ${rec.state}`);
          rec.state = "error";
          break;
        }
        try {
          await ctx.runtime.start(runtimeInfo(rec));
          rec.state = "started";
          rec.errorReason = undefined;
          // Activity seen by the toolbox is kept in memory only: count the restart as activity so a
          // sandbox is not auto-stopped the moment the server comes back.
          rec.lastActivityAt = new Date().toISOString();
        } catch (err) {
          rec.state = "error";
          rec.errorReason = `start after a server restart failed: ${err instanceof Error ? err.message : String(err)}`;
        }
        break;
      case "stopping":
      case "stopped":
        if (status === "missing") {
          rec.state = "error";
          rec.errorReason = gone("found at a server start");
        } else {
          if (status === "running") await ctx.runtime.stop(rec.id);
          if (rec.state === "stopping") rec.lastActivityAt = new Date().toISOString();
          rec.state = "stopped";
        }
        break;
      case "archiving":
        // The archive may not have finished: the container (stopped) is the truth while it exists (the
        // file, whole or half-written, is removed by reconcile), else a complete archive file is.
        if (status !== "missing") {
          rec.state = "stopped";
          rec.archiveImage = undefined;
        } else if (rec.archiveImage || (await ctx.runtime.hasArchive(rec.id))) rec.state = "archived";
        else {
          rec.state = "error";
          rec.errorReason = "the local server restarted while archiving it and neither its container nor its archive remains";
        }
        break;
      case "archived":
        // rec.archiveImage: archived by an older server, which kept the archive as an image on the engine.
        if (rec.archiveImage ? !(await ctx.runtime.imageExists(rec.archiveImage)) : !(await ctx.runtime.hasArchive(rec.id))) {
          rec.state = "error";
          rec.errorReason = rec.archiveImage ? "its archive image is gone" : "its archive file is gone";
        }
        break;
      case "pending_build":
      case "building_snapshot":
        rec.state = "build_failed";
        rec.errorReason = restarted;
        break;
      case "destroying":
      case "destroyed":
        await ctx.runtime.remove(rec.id).catch((e: unknown) => ctx.log(`sandbox ${rec.id}: ${String(e)}`));
        if (rec.engineImage && !imageInUse(ctx, rec.engineImage, rec.id)) await ctx.runtime.removeImage(rec.engineImage).catch(() => undefined);
        await ctx.store.removeSandbox(rec.id);
        continue;
      default:
        continue;
    }
    await ctx.store.saveSandbox(rec);
  }
  for (const snap of [...ctx.store.snapshots.values()]) {
    if (snap.state === "removing") {
      if (snap.engineImage && !imageInUse(ctx, snap.engineImage)) await ctx.runtime.removeImage(snap.engineImage).catch(() => undefined);
      await ctx.store.removeSnapshot(snap.id);
    } else if (["building", "pending", "pulling", "snapshotting"].includes(snap.state)) {
      snap.state = snap.state === "snapshotting" ? "error" : "build_failed";
      snap.errorReason = restarted;
      await ctx.store.saveSnapshot(snap);
    } else if (snap.state === "active" && snap.engineImage && !(await ctx.runtime.imageExists(snap.engineImage))) {
      snap.state = "error";
      snap.errorReason = `its image ${snap.engineImage} is gone from the engine`;
      await ctx.store.saveSnapshot(snap);
    }
  }
  await ctx.runtime.reconcile(new Set(ctx.store.sandboxes.keys()));
  await removeDir(ctx.store.tmpDir());
}
