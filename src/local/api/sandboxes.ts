// Sandboxes: create (default snapshot, named snapshot, image name, Dockerfile build), get, list,
// delete.
import { randomUUID } from "node:crypto";
import type { Router } from "../http/router";
import { HttpError, optBool, optString, readJson, sendJson } from "../http/util";
import { readEnv, readInt, readLabels, readResource, readUser } from "./createInput";
import type { SandboxRecord } from "../store/records";
import type { SandboxState } from "../contract";
import { sleep } from "../faults";
import { startSandboxBuild } from "../build/builder";
import { DEFAULT_SNAPSHOT, LOCAL_TARGET, type ApiContext } from "./context";
import { sandboxDto } from "./dto";
import { mustFindSandbox, populateAndStart, removeSandbox, setState } from "./lifecycle";
import { snapshotImage } from "./snapshots";
import { listSandboxes } from "./sandboxList";
import { resolveSandboxVolumes } from "./volumes";

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function validateSandboxName(ctx: ApiContext, name: string): void {
  if (!NAME_RE.test(name)) throw new HttpError(400, `Invalid sandbox name "${name}": use letters, digits, '.', '_' and '-' (at most 63)`);
  if (ctx.store.findSandbox(name)) throw new HttpError(409, `Sandbox with name ${name} already exists`);
}

export function registerSandboxRoutes(router: Router, ctx: ApiContext): void {
  router.add("POST", "/sandbox", async ({ req, res }) => {
    const body = await readJson(req);
    const rec = await createSandbox(ctx, body);
    sendJson(res, 200, sandboxDto(ctx, rec));
  });
  router.add("GET", "/sandbox", ({ res, query }) => sendJson(res, 200, listSandboxes(ctx, query)));
  router.add("GET", "/sandbox/:id", ({ res, params }) => sendJson(res, 200, sandboxDto(ctx, mustFindSandbox(ctx, params.id))));
  router.add("DELETE", "/sandbox/:id", async ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    await deleteSandbox(ctx, rec);
    sendJson(res, 200, sandboxDto(ctx, rec));
  });
}

/** A new record with the request's fields and Daytona's defaults. */
export function newSandboxRecord(ctx: ApiContext, body: Record<string, unknown>, state: SandboxState): SandboxRecord {
  const id = randomUUID();
  const name = optString(body, "name") ?? id;
  validateSandboxName(ctx, name);
  const now = new Date().toISOString();
  return {
    id,
    name,
    organizationId: ctx.organizationId,
    user: readUser(body) ?? "daytona",
    env: readEnv(body) ?? {},
    labels: readLabels(body) ?? {},
    public: optBool(body, "public") ?? false,
    networkBlockAll: optBool(body, "networkBlockAll") ?? false,
    networkAllowList: optString(body, "networkAllowList"),
    target: optString(body, "target") || LOCAL_TARGET,
    cpu: readResource(body, "cpu") ?? 1,
    gpu: readResource(body, "gpu") ?? 0,
    memory: readResource(body, "memory") ?? 1,
    disk: readResource(body, "disk") ?? 3,
    state,
    autoStopInterval: readInt(body, "autoStopInterval", 0) ?? 15,
    autoArchiveInterval: readInt(body, "autoArchiveInterval", 0) ?? 10080,
    autoDeleteInterval: readInt(body, "autoDeleteInterval", -1) ?? -1,
    createdAt: now,
    updatedAt: now,
    lastActivityAt: now,
  };
}

async function createSandbox(ctx: ApiContext, body: Record<string, unknown>): Promise<SandboxRecord> {
  const buildInfo = body.buildInfo as { dockerfileContent?: unknown; contextHashes?: unknown } | undefined | null;
  if (buildInfo) {
    if (typeof buildInfo.dockerfileContent !== "string") throw new HttpError(400, "buildInfo.dockerfileContent must be a string");
    const hashes = Array.isArray(buildInfo.contextHashes) ? buildInfo.contextHashes : [];
    if (!hashes.every((h) => typeof h === "string" && /^[0-9a-f]{32}$/.test(h))) throw new HttpError(400, "buildInfo.contextHashes must be md5 hex strings");
    const rec = newSandboxRecord(ctx, body, "pending_build");
    rec.volumes = await resolveSandboxVolumes(ctx, body.volumes);
    const now = rec.createdAt;
    rec.buildInfo = { dockerfileContent: buildInfo.dockerfileContent, contextHashes: hashes as string[], createdAt: now, updatedAt: now, snapshotRef: `local-build-${rec.id}` };
    await ctx.store.saveSandbox(rec);
    ctx.events.emit("sandbox.created", sandboxDto(ctx, rec));
    startSandboxBuild(ctx, rec);
    return rec;
  }
  const snapName = optString(body, "snapshot") || DEFAULT_SNAPSHOT;
  const snap = ctx.store.findSnapshot(snapName);
  if (!snap) throw new HttpError(404, `Snapshot ${snapName} not found. Did you add it through the Daytona Dashboard?`);
  if (snap.state !== "active") throw new HttpError(400, `Snapshot ${snapName} is ${snap.state}`);
  const rec = newSandboxRecord(ctx, body, "creating");
  rec.volumes = await resolveSandboxVolumes(ctx, body.volumes);
  rec.snapshot = snap.name;
  rec.cpu = readResource(body, "cpu") ?? snap.cpu;
  rec.memory = readResource(body, "memory") ?? snap.mem;
  rec.disk = readResource(body, "disk") ?? snap.disk;
  if (snap.image) rec.image = snap.image;
  await ctx.store.saveSandbox(rec);
  snap.lastUsedAt = rec.createdAt;
  await ctx.store.saveSnapshot(snap);
  ctx.events.emit("sandbox.created", sandboxDto(ctx, rec));
  populateAndStart(ctx, rec, () => snapshotImage(ctx, snap), "create");
  return rec;
}

export async function deleteSandbox(ctx: ApiContext, rec: SandboxRecord): Promise<void> {
  if (rec.state === "destroying") return;
  await setState(ctx, rec, "destroying");
  ctx.background(`delete ${rec.id}`, async () => {
    await removeSandbox(ctx, rec);
    await sleep(ctx.transitionMs);
    await setState(ctx, rec, "destroyed");
  });
}
