// Start-up: make sure the default snapshots exist, and settle records a previous run left in a
// transitional state. Policy: processes never survive a restart, but a sandbox that was started
// (or on its way there) comes back "started" with its files intact, so clients carry on; stopping
// becomes stopped, archiving archived, interrupted deletes finish, interrupted builds fail.
import { randomUUID } from "node:crypto";
import { removeDir } from "../fsutil";
import type { SnapshotRecord } from "../store/records";
import { DEFAULT_SNAPSHOT, runtimeInfo, type ApiContext } from "./context";
import { releaseDocker } from "./lifecycle";

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

export async function recoverAfterRestart(ctx: ApiContext): Promise<void> {
  const restarted = "the local server restarted during this operation";
  for (const rec of [...ctx.store.sandboxes.values()]) {
    switch (rec.state) {
      case "creating":
      case "starting":
      case "snapshotting":
      case "started":
        rec.state = "started";
        // Activity seen by the toolbox is kept in memory only: count the restart as activity so a
        // sandbox is not auto-stopped the moment the server comes back.
        rec.lastActivityAt = new Date().toISOString();
        try {
          await ctx.runtime.prepare(runtimeInfo(rec));
        } catch (err) {
          rec.state = "error";
          rec.errorReason = `restart after a server restart failed: ${err instanceof Error ? err.message : String(err)}`;
        }
        break;
      case "stopping":
        rec.state = "stopped";
        rec.lastActivityAt = new Date().toISOString();
        break;
      case "archiving":
        rec.state = "archived";
        break;
      case "pending_build":
      case "building_snapshot":
        rec.state = "build_failed";
        rec.errorReason = restarted;
        break;
      case "destroying":
      case "destroyed":
        await releaseDocker(ctx, rec, "remove");
        await removeDir(ctx.runtime.hostDir(rec.id));
        await ctx.store.removeSandbox(rec.id);
        continue;
      default:
        continue;
    }
    await ctx.store.saveSandbox(rec);
  }
  for (const snap of [...ctx.store.snapshots.values()]) {
    if (snap.state === "removing") {
      await removeDir(ctx.store.snapshotDir(snap.id));
      await ctx.store.removeSnapshot(snap.id);
    } else if (["building", "pending", "pulling", "snapshotting"].includes(snap.state)) {
      snap.state = snap.state === "snapshotting" ? "error" : "build_failed";
      snap.errorReason = restarted;
      await ctx.store.saveSnapshot(snap);
    }
  }
  await removeDir(ctx.store.tmpDir());
}
