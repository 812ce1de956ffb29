// State changes of sandboxes: written to disk, then pushed to every socket.io client.
import type { SandboxState } from "../contract";
import type { SandboxRecord, SnapshotRecord } from "../store/records";
import { HttpError } from "../http/util";
import { sleep } from "../faults";
import { runtimeInfo, type ApiContext } from "./context";
import { sandboxDto, snapshotDto } from "./dto";

export async function setState(ctx: ApiContext, rec: SandboxRecord, state: SandboxState, errorReason?: string): Promise<void> {
  const oldState = rec.state;
  rec.state = state;
  rec.errorReason = errorReason;
  rec.updatedAt = new Date().toISOString();
  // Starting and stopping count as activity: the auto-stop / auto-archive / auto-delete clocks restart.
  if (state === "started" || state === "stopped") rec.lastActivityAt = rec.updatedAt;
  if (state === "destroyed") await ctx.store.removeSandbox(rec.id);
  else await ctx.store.saveSandbox(rec);
  if (oldState !== state) ctx.events.emit("sandbox.state.updated", { sandbox: sandboxDto(ctx, rec), oldState, newState: state });
}

export async function setSnapshotState(ctx: ApiContext, rec: SnapshotRecord, state: SnapshotRecord["state"], errorReason?: string): Promise<void> {
  const oldState = rec.state;
  rec.state = state;
  rec.errorReason = errorReason ?? null;
  rec.updatedAt = new Date().toISOString();
  await ctx.store.saveSnapshot(rec);
  if (oldState !== state) ctx.events.emit("snapshot.state.updated", { snapshot: snapshotDto(rec), oldState, newState: state });
}

/** Look a sandbox up by id or name or answer 404 the way Daytona does. */
export function mustFindSandbox(ctx: ApiContext, idOrName: string): SandboxRecord {
  const rec = ctx.store.findSandbox(idOrName);
  if (!rec) throw new HttpError(404, `Sandbox with ID or name ${idOrName} not found`);
  return rec;
}

export function requireState(rec: SandboxRecord, allowed: SandboxState[], action: string): void {
  if (!allowed.includes(rec.state)) throw new HttpError(409, `Cannot ${action} sandbox ${rec.id} in state ${rec.state}`);
}

/**
 * Move to a transitional state now, then (in the background, after the configured delay and the
 * work) to the final state; a failure lands in "error" with the reason.
 */
export async function transition(ctx: ApiContext, rec: SandboxRecord, via: SandboxState, to: SandboxState, work: () => Promise<void>): Promise<void> {
  await setState(ctx, rec, via);
  ctx.background(`${via} ${rec.id}`, async () => {
    try {
      // The transitional state stays visible at least transitionMs, overlapping the real work.
      await Promise.all([sleep(ctx.transitionMs), work()]);
      if (rec.state === via) await setState(ctx, rec, to);
    } catch (err) {
      ctx.log(`sandbox ${rec.id}: ${via} failed: ${err instanceof Error ? err.message : String(err)}`);
      await setState(ctx, rec, "error", err instanceof Error ? err.message : String(err));
    }
  });
}

/**
 * A new sandbox (state "creating") gets its container in the background: `image()` names the engine
 * image (a snapshot's, or a commit of the sandbox it is forked from), then it becomes "started"; a
 * failure lands in "error".
 */
export function populateAndStart(ctx: ApiContext, rec: SandboxRecord, image: () => Promise<string>, what: "create" | "fork"): void {
  ctx.background(`${what} ${rec.id}`, async () => {
    try {
      const create = async () => {
        rec.engineImage = await image();
        await ctx.runtime.create(runtimeInfo(rec), rec.engineImage);
      };
      await Promise.all([sleep(ctx.transitionMs), create()]);
      if (rec.state === "creating") await setState(ctx, rec, "started");
      else if (rec.state === "destroying" || rec.state === "destroyed") await ctx.runtime.remove(rec.id);
    } catch (err) {
      if (rec.state === "destroying" || rec.state === "destroyed") return;
      await setState(ctx, rec, "error", `${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

/** End every session and PTY of a sandbox and stop its container (its files stay). */
export async function stopSandbox(ctx: ApiContext, id: string): Promise<void> {
  ctx.toolbox.closeSandbox(id);
  await ctx.runtime.stop(id);
}

/**
 * Remove the sandbox's container, the images only it used and what a DinD sandbox made on the engine.
 * A failure is logged and the delete goes on (an unreachable engine must not make a sandbox undeletable).
 */
export async function removeSandbox(ctx: ApiContext, rec: SandboxRecord): Promise<void> {
  ctx.toolbox.closeSandbox(rec.id);
  try {
    await ctx.runtime.remove(rec.id);
    // The image it was made from goes too when nothing else needs it: a deleted snapshot's image that
    // was kept for this sandbox (a snapshot's own image stays while the snapshot does).
    if (rec.engineImage && !imageInUse(ctx, rec.engineImage, rec.id)) await ctx.runtime.removeImage(rec.engineImage);
  } catch (err) {
    ctx.log(`!!! sandbox ${rec.id}: its container or images may remain: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Whether a snapshot, or a sandbox other than `exceptSandbox` (archived ones too), needs the engine image. */
export function imageInUse(ctx: ApiContext, image: string, exceptSandbox?: string): boolean {
  for (const snap of ctx.store.snapshots.values()) if (snap.engineImage === image && snap.state !== "removing") return true;
  for (const sb of ctx.store.sandboxes.values()) {
    if (sb.id === exceptSandbox || sb.state === "destroyed" || sb.state === "destroying") continue;
    if (sb.engineImage === image || sb.archiveImage === image) return true;
  }
  return false;
}
