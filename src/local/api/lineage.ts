// Fork (a commit of a running sandbox's container, started as a new one), lineage queries, and snapshots of a sandbox.
import { randomBytes } from "node:crypto";
import type { Router } from "../http/router";
import { HttpError, optString, readJson, sendJson } from "../http/util";
import { sleep } from "../faults";
import type { SandboxRecord } from "../store/records";
import type { ApiContext } from "./context";
import { sandboxDto } from "./dto";
import { mustFindSandbox, populateAndStart, requireState, setSnapshotState, setState } from "./lifecycle";
import { newSandboxRecord } from "./sandboxes";
import { newSnapshotRecord } from "./snapshots";

export function registerLineageRoutes(router: Router, ctx: ApiContext): void {
  router.add("POST", "/sandbox/:id/fork", async ({ req, res, params }) => {
    const parent = mustFindSandbox(ctx, params.id);
    requireState(parent, ["started"], "fork");
    const body = await readJson(req);
    const name = optString(body, "name") ?? `${parent.name.slice(0, 50)}-fork-${randomBytes(3).toString("hex")}`;
    const rec = newSandboxRecord(ctx, { name }, "creating");
    Object.assign(rec, {
      user: parent.user,
      env: { ...parent.env },
      labels: { ...parent.labels },
      public: parent.public,
      networkBlockAll: parent.networkBlockAll,
      networkAllowList: parent.networkAllowList,
      cpu: parent.cpu,
      gpu: parent.gpu,
      memory: parent.memory,
      disk: parent.disk,
      snapshot: parent.snapshot,
      image: parent.image,
      autoStopInterval: parent.autoStopInterval,
      autoArchiveInterval: parent.autoArchiveInterval,
      autoDeleteInterval: parent.autoDeleteInterval,
      parentId: parent.id,
    } satisfies Partial<SandboxRecord>);
    await ctx.store.saveSandbox(rec);
    ctx.events.emit("sandbox.created", sandboxDto(ctx, rec));
    populateAndStart(ctx, rec, async () => (await ctx.runtime.commit(parent.id, "fork", rec.id)).image, "fork");
    sendJson(res, 200, sandboxDto(ctx, rec));
  });
  router.add("GET", "/sandbox/:id/forks", ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    const forks = [...ctx.store.sandboxes.values()].filter((s) => s.parentId === rec.id);
    sendJson(res, 200, forks.map((s) => sandboxDto(ctx, s)));
  });
  router.add("GET", "/sandbox/:id/parent", ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    const parent = rec.parentId ? ctx.store.sandboxes.get(rec.parentId) : undefined;
    if (!parent) throw new HttpError(404, `Sandbox ${rec.id} has no parent`);
    sendJson(res, 200, sandboxDto(ctx, parent));
  });
  router.add("GET", "/sandbox/:id/ancestors", ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    const out: SandboxRecord[] = [];
    const seen = new Set<string>([rec.id]);
    for (let cur = rec.parentId; cur && !seen.has(cur); ) {
      seen.add(cur);
      const p = ctx.store.sandboxes.get(cur);
      if (!p) break;
      out.push(p);
      cur = p.parentId;
    }
    sendJson(res, 200, out.map((s) => sandboxDto(ctx, s)));
  });
  router.add("POST", "/sandbox/:id/snapshot", async ({ req, res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    requireState(rec, ["started"], "snapshot");
    const body = await readJson(req);
    const name = optString(body, "name");
    if (!name) throw new HttpError(400, "name is required");
    const snap = newSnapshotRecord(ctx, name, { cpu: rec.cpu, mem: rec.memory, disk: rec.disk });
    snap.state = "pending";
    snap.sourceSandboxId = rec.id;
    snap.image = rec.image;
    await ctx.store.saveSnapshot(snap);
    await setState(ctx, rec, "snapshotting");
    ctx.background(`snapshot ${rec.id}`, async () => {
      try {
        await setSnapshotState(ctx, snap, "snapshotting");
        const img = await ctx.runtime.commit(rec.id, "snapshot", snap.id);
        snap.engineImage = img.image;
        snap.size = img.sizeBytes / 1024 ** 3;
        await sleep(ctx.transitionMs);
        await setSnapshotState(ctx, snap, "active");
        if (rec.state === "snapshotting") await setState(ctx, rec, "started");
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        await setSnapshotState(ctx, snap, "error", reason);
        if (rec.state === "snapshotting") await setState(ctx, rec, "started");
      }
    });
    sendJson(res, 200, sandboxDto(ctx, rec));
  });
}
