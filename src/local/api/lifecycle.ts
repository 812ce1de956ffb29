// State changes of sandboxes: written to disk, then pushed to every socket.io client.
import type { SandboxState } from "../contract";
import type { SandboxRecord, SnapshotRecord } from "../store/records";
import { HttpError } from "../http/util";
import { sleep } from "../faults";
import { copyDir } from "../fsutil";
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
      await sleep(ctx.transitionMs);
      await work();
      if (rec.state === via) await setState(ctx, rec, to);
    } catch (err) {
      ctx.log(`sandbox ${rec.id}: ${via} failed: ${err instanceof Error ? err.message : String(err)}`);
      await setState(ctx, rec, "error", err instanceof Error ? err.message : String(err));
    }
  });
}

/**
 * A new sandbox (state "creating") gets its files in the background, copied from `sourceDir` (a
 * snapshot, or the sandbox it is forked from), then becomes "started"; a failure lands in "error".
 */
export function populateAndStart(ctx: ApiContext, rec: SandboxRecord, sourceDir: string, what: "create" | "fork"): void {
  ctx.background(`${what} ${rec.id}`, async () => {
    try {
      await copyDir(sourceDir, ctx.runtime.hostDir(rec.id));
      await ctx.runtime.prepare(runtimeInfo(rec));
      await sleep(ctx.transitionMs);
      if (rec.state === "creating") await setState(ctx, rec, "started");
    } catch (err) {
      await setState(ctx, rec, "error", `${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

/** End every process, session and PTY of a sandbox. */
export async function killSandboxProcesses(ctx: ApiContext, id: string): Promise<void> {
  ctx.toolbox.closeSandbox(id);
  await ctx.runtime.killAll(id);
}

/**
 * A DinD sandbox's containers follow it: stopped with it ("stop"), removed with it ("remove") along
 * with its networks and volumes. A failed stop is the stop's failure; a failed remove is logged and
 * the delete goes on (an unreachable engine must not make a sandbox undeletable).
 */
export async function releaseDocker(ctx: ApiContext, rec: SandboxRecord, how: "stop" | "remove"): Promise<void> {
  if (!runtimeInfo(rec).docker || !ctx.runtime.releaseDocker) return;
  try {
    await ctx.runtime.releaseDocker(rec.id, how);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (how === "stop") throw new Error(`could not stop the sandbox's containers: ${reason}`);
    ctx.log(`!!! sandbox ${rec.id}: its docker containers, networks or volumes may remain: ${reason}`);
  }
}
