// Volumes: create, list, get (by id or name), delete, and mounting them into a sandbox at create.
// States as Daytona reports them: pending_create -> ready on create; pending_delete -> deleting ->
// deleted on delete (deleted volumes are listed only with includeDeleted=true, then forgotten).
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import type { Router } from "../http/router";
import { HttpError, optString, readJson, sendJson } from "../http/util";
import { sleep } from "../faults";
import type { SandboxVolumeRecord, VolumeRecord, VolumeState } from "../store/records";
import type { ApiContext } from "./context";

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** In-sandbox paths a volume may not cover: the system, and the sandbox's kernel interfaces. */
const RESERVED = ["/proc", "/sys", "/dev", "/run", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/var", "/opt", "/srv", "/boot", "/tmp"];

export function volumeDto(rec: VolumeRecord): Record<string, unknown> {
  return {
    id: rec.id,
    name: rec.name,
    organizationId: rec.organizationId,
    state: rec.state,
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
    lastUsedAt: rec.lastUsedAt,
    errorReason: rec.errorReason,
  };
}

function mustFindVolume(ctx: ApiContext, id: string): VolumeRecord {
  const rec = ctx.store.volumes.get(id);
  if (!rec || rec.state === "deleted") throw new HttpError(404, `Volume with ID ${id} not found`);
  return rec;
}

async function setVolumeState(ctx: ApiContext, rec: VolumeRecord, state: VolumeState, errorReason: string | null = null): Promise<void> {
  const oldState = rec.state;
  rec.state = state;
  rec.errorReason = errorReason;
  rec.updatedAt = new Date().toISOString();
  await ctx.store.saveVolume(rec);
  if (oldState !== state) ctx.events.emit("volume.state.updated", { volume: volumeDto(rec), oldState, newState: state });
}

/** Sandboxes (not yet destroyed) that mount the volume. */
function usersOf(ctx: ApiContext, volumeId: string): string[] {
  return [...ctx.store.sandboxes.values()].filter((s) => s.state !== "destroyed" && s.volumes?.some((v) => v.volumeId === volumeId)).map((s) => s.id);
}

export function registerVolumeRoutes(router: Router, ctx: ApiContext): void {
  router.add("GET", "/volumes", ({ res, query }) => {
    const includeDeleted = query.get("includeDeleted") === "true";
    const list = [...ctx.store.volumes.values()].filter((v) => includeDeleted || v.state !== "deleted");
    list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    sendJson(res, 200, list.map(volumeDto));
  });
  router.add("POST", "/volumes", async ({ req, res }) => {
    const body = await readJson(req);
    const name = optString(body, "name");
    if (!name) throw new HttpError(400, "name is required");
    if (!NAME_RE.test(name)) throw new HttpError(400, `Invalid volume name "${name}": use letters, digits, '.', '_' and '-' (at most 63)`);
    const existing = ctx.store.findVolume(name);
    if (existing && existing.state !== "deleted") throw new HttpError(409, `Volume with name ${name} already exists`);
    if (existing) await ctx.store.removeVolume(existing.id);
    const now = new Date().toISOString();
    const rec: VolumeRecord = { id: randomUUID(), name, organizationId: ctx.organizationId, state: "pending_create", createdAt: now, updatedAt: now, lastUsedAt: null, errorReason: null };
    await ctx.store.saveVolume(rec);
    ctx.events.emit("volume.created", volumeDto(rec));
    sendJson(res, 200, volumeDto(rec));
    ctx.background(`volume create ${rec.id}`, async () => {
      try {
        await ctx.volumes.create(rec.id);
        await sleep(ctx.transitionMs);
        await setVolumeState(ctx, rec, "ready");
      } catch (err) {
        await setVolumeState(ctx, rec, "error", err instanceof Error ? err.message : String(err));
      }
    });
  });
  router.add("GET", "/volumes/by-name/:name", ({ res, params }) => {
    const rec = ctx.store.findVolume(params.name);
    if (!rec || rec.state === "deleted") throw new HttpError(404, `Volume with name ${params.name} not found`);
    sendJson(res, 200, volumeDto(rec));
  });
  router.add("GET", "/volumes/:id", ({ res, params }) => sendJson(res, 200, volumeDto(mustFindVolume(ctx, params.id))));
  router.add("DELETE", "/volumes/:id", async ({ res, params }) => {
    const rec = mustFindVolume(ctx, params.id);
    if (rec.state !== "ready" && rec.state !== "error") throw new HttpError(409, `Volume must be in 'ready' or 'error' state in order to be deleted`);
    const users = usersOf(ctx, rec.id);
    if (users.length > 0) throw new HttpError(409, `Volume ${rec.name} is in use by sandbox${users.length > 1 ? "es" : ""} ${users.join(", ")}`);
    await setVolumeState(ctx, rec, "pending_delete");
    res.writeHead(200, { "content-length": 0 }).end();
    ctx.background(`volume delete ${rec.id}`, async () => {
      try {
        await setVolumeState(ctx, rec, "deleting");
        await ctx.volumes.remove(rec.id);
        await sleep(ctx.transitionMs);
        await setVolumeState(ctx, rec, "deleted");
      } catch (err) {
        await setVolumeState(ctx, rec, "error", err instanceof Error ? err.message : String(err));
      }
    });
  });
}

/** The `volumes` of a create request, checked and resolved (ids or names -> ids, mount sources). */
export async function resolveSandboxVolumes(ctx: ApiContext, raw: unknown): Promise<SandboxVolumeRecord[] | undefined> {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new HttpError(400, "volumes must be an array");
  const out: SandboxVolumeRecord[] = [];
  for (const [i, item] of raw.entries()) {
    if (!item || typeof item !== "object" || Array.isArray(item)) throw new HttpError(400, `volumes[${i}] must be an object`);
    const entry = item as Record<string, unknown>;
    const ref = optString(entry, "volumeId");
    const mountPath = optString(entry, "mountPath");
    const subpath = optString(entry, "subpath") || undefined;
    if (!ref) throw new HttpError(400, `volumes[${i}].volumeId is required`);
    if (!mountPath) throw new HttpError(400, `volumes[${i}].mountPath is required`);
    checkMountPath(mountPath, i);
    if (out.some((v) => v.mountPath === path.posix.normalize(mountPath))) throw new HttpError(400, `volumes[${i}].mountPath ${mountPath} is used twice`);
    const vol = ctx.store.findVolume(ref);
    if (!vol || vol.state === "deleted") throw new HttpError(404, `Volume ${ref} not found`);
    if (vol.state !== "ready") throw new HttpError(400, `Volume ${vol.name} is not in a ready state (state: ${vol.state})`);
    out.push({ volumeId: vol.id, mountPath: path.posix.normalize(mountPath), subpath, source: ctx.volumes.source(vol.id, subpath) });
  }
  const now = new Date().toISOString();
  for (const v of out) {
    const vol = ctx.store.volumes.get(v.volumeId)!;
    vol.lastUsedAt = now;
    await ctx.store.saveVolume(vol);
  }
  return out;
}

function checkMountPath(mountPath: string, i: number): void {
  const bad = (why: string): HttpError => new HttpError(400, `volumes[${i}].mountPath ${JSON.stringify(mountPath)} ${why}`);
  if (!mountPath.startsWith("/")) throw bad("must be an absolute path");
  if (mountPath.includes("\0") || mountPath.split("/").includes("..")) throw bad("must not contain '..'");
  const p = path.posix.normalize(mountPath).replace(/\/+$/, "");
  if (p === "" || p === "/home" || p === "/workspace" || /^\/home\/[^/]+$/.test(p)) throw bad("must not be the root, a home directory or /workspace");
  if (RESERVED.some((r) => p === r || p.startsWith(r + "/"))) throw bad("must not be in a system directory");
}
