// Snapshots: list (page/limit), create (image name or Dockerfile build), get by id or name,
// delete, activate. A snapshot is an engine image (SnapshotRecord.engineImage).
import { randomUUID } from "node:crypto";
import type { Router } from "../http/router";
import { HttpError, optNumber, optString, readJson, sendJson } from "../http/util";
import { sleep } from "../faults";
import { startSnapshotBuild } from "../build/builder";
import type { SnapshotRecord } from "../store/records";
import type { ApiContext } from "./context";
import { snapshotDto } from "./dto";
import { imageInUse, setSnapshotState } from "./lifecycle";
import { isDindImage } from "../docker/image";

const SNAPSHOT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/;

export function newSnapshotRecord(ctx: ApiContext, name: string, res: { cpu?: number; gpu?: number; mem?: number; disk?: number }): SnapshotRecord {
  if (!SNAPSHOT_NAME_RE.test(name) || name.includes("..")) throw new HttpError(400, `Invalid snapshot name "${name}"`);
  if (ctx.store.findSnapshot(name)) throw new HttpError(409, `Snapshot with name ${name} already exists`);
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    organizationId: ctx.organizationId,
    general: false,
    name,
    state: "pending",
    size: 0,
    entrypoint: [],
    cpu: res.cpu ?? 1,
    gpu: res.gpu ?? 0,
    mem: res.mem ?? 1,
    disk: res.disk ?? 3,
    errorReason: null,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: now,
    sourceSandboxId: null,
  };
}

export function registerSnapshotRoutes(router: Router, ctx: ApiContext): void {
  router.add("GET", "/snapshots", ({ res, query }) => {
    const page = Math.max(1, Math.floor(Number(query.get("page") ?? 1)) || 1);
    const limit = Math.min(200, Math.max(1, Math.floor(Number(query.get("limit") ?? 100)) || 100));
    const source = query.get("sourceSandboxId");
    const all = [...ctx.store.snapshots.values()]
      .filter((s) => !source || s.sourceSandboxId === source)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.name.localeCompare(b.name)));
    const items = all.slice((page - 1) * limit, page * limit).map(snapshotDto);
    sendJson(res, 200, { items, total: all.length, page, totalPages: Math.max(1, Math.ceil(all.length / limit)) });
  });
  router.add("POST", "/snapshots", async ({ req, res }) => {
    const body = await readJson(req);
    const name = optString(body, "name");
    if (!name) throw new HttpError(400, "name is required");
    const snap = newSnapshotRecord(ctx, name, { cpu: optNumber(body, "cpu"), gpu: optNumber(body, "gpu"), mem: optNumber(body, "memory"), disk: optNumber(body, "disk") });
    const buildInfo = body.buildInfo as { dockerfileContent?: unknown; contextHashes?: unknown } | undefined;
    const imageName = optString(body, "imageName");
    if (buildInfo) {
      if (typeof buildInfo.dockerfileContent !== "string") throw new HttpError(400, "buildInfo.dockerfileContent must be a string");
      const hashes = Array.isArray(buildInfo.contextHashes) ? buildInfo.contextHashes : [];
      if (!hashes.every((h) => typeof h === "string" && /^[0-9a-f]{32}$/.test(h))) throw new HttpError(400, "buildInfo.contextHashes must be md5 hex strings");
      snap.buildInfo = { dockerfileContent: buildInfo.dockerfileContent, contextHashes: hashes as string[], createdAt: snap.createdAt, updatedAt: snap.createdAt, snapshotRef: `local-${snap.id}` };
      await ctx.store.saveSnapshot(snap);
      startSnapshotBuild(ctx, snap);
    } else if (imageName) {
      // No registry here: an image the engine has is used as it is; a Docker-in-Docker image maps onto
      // the local DinD image and anything else onto the local base image (recorded for what it names).
      snap.imageName = imageName;
      if (isDindImage(imageName)) snap.image = { env: {}, labels: {}, dind: true };
      snap.engineImage = await localImageFor(ctx, imageName);
      const ep = body.entrypoint;
      if (Array.isArray(ep) && ep.every((x) => typeof x === "string")) snap.entrypoint = ep as string[];
      await ctx.store.saveSnapshot(snap);
      ctx.background(`snapshot ${snap.id}`, async () => {
        await sleep(ctx.transitionMs);
        await setSnapshotState(ctx, snap, "pulling");
        await sleep(ctx.transitionMs);
        if (ctx.store.snapshots.has(snap.id)) await setSnapshotState(ctx, snap, "active");
      });
    } else throw new HttpError(400, "imageName or buildInfo is required");
    sendJson(res, 200, snapshotDto(snap));
  });
  router.add("GET", "/snapshots/:id", ({ res, params }) => sendJson(res, 200, snapshotDto(mustFindSnapshot(ctx, params.id))));
  router.add("DELETE", "/snapshots/:id", async ({ res, params }) => {
    const snap = mustFindSnapshot(ctx, params.id);
    if (snap.general) throw new HttpError(403, `Snapshot ${snap.name} is a default snapshot and cannot be deleted`);
    await setSnapshotState(ctx, snap, "removing");
    // Sandboxes made from it keep its image (an archived one's file holds only its changes on top of
    // it): the last of them to be deleted takes the image along (removeSandbox).
    if (snap.engineImage && !imageInUse(ctx, snap.engineImage)) await ctx.runtime.removeImage(snap.engineImage);
    await ctx.store.removeSnapshot(snap.id);
    res.writeHead(200).end();
  });
  router.add("POST", "/snapshots/:id/activate", async ({ res, params }) => {
    const snap = mustFindSnapshot(ctx, params.id);
    if (snap.state === "active") throw new HttpError(400, `Snapshot ${snap.name} is already active`);
    if (snap.state !== "inactive") throw new HttpError(400, `Snapshot ${snap.name} is ${snap.state} and cannot be activated`);
    await setSnapshotState(ctx, snap, "active");
    sendJson(res, 200, snapshotDto(snap));
  });
  router.add("POST", "/snapshots/:id/deactivate", async ({ res, params }) => {
    const snap = mustFindSnapshot(ctx, params.id);
    if (snap.state !== "active") throw new HttpError(400, `Snapshot ${snap.name} is ${snap.state}`);
    await setSnapshotState(ctx, snap, "inactive");
    res.writeHead(204).end();
  });
}

export function mustFindSnapshot(ctx: ApiContext, idOrName: string): SnapshotRecord {
  const snap = ctx.store.findSnapshot(idOrName);
  if (!snap) throw new HttpError(404, `Snapshot ${idOrName} not found`);
  return snap;
}

/** The engine image for a name a client gave (no registry: local images, else the local base). */
export async function localImageFor(ctx: ApiContext, imageName: string): Promise<string> {
  if (isDindImage(imageName)) return ctx.runtime.dindImage;
  if (await ctx.runtime.imageExists(imageName)) return imageName;
  ctx.log(`image ${imageName} is not on the local engine (no registry is used): its sandboxes use ${ctx.runtime.baseImage}`);
  return ctx.runtime.baseImage;
}

/** The engine image a snapshot's sandboxes are made from. */
export async function snapshotImage(ctx: ApiContext, snap: SnapshotRecord): Promise<string> {
  if (snap.engineImage) return snap.engineImage;
  if (snap.general) return ctx.runtime.baseImage;
  throw new Error(`snapshot ${snap.name} has no image on the local engine (made by an older local server); create it again`);
}
