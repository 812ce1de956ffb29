// Sandbox actions: start, stop, archive, labels, auto-* intervals, public flag, activity, toolbox URL.
import type { Router } from "../http/router";
import { HttpError, readJson, sendJson } from "../http/util";
import { readLabels } from "./createInput";
import type { SandboxRecord } from "../store/records";
import { runtimeInfo, type ApiContext } from "./context";
import { sandboxDto } from "./dto";
import { sleep } from "../faults";
import { mustFindSandbox, requireState, stopSandbox as stopContainer, transition } from "./lifecycle";

export function registerSandboxActions(router: Router, ctx: ApiContext): void {
  router.add("POST", "/sandbox/:id/start", async ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    await startSandbox(ctx, rec);
    sendJson(res, 200, sandboxDto(ctx, rec));
  });
  router.add("POST", "/sandbox/:id/stop", async ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    await stopSandbox(ctx, rec);
    sendJson(res, 200, sandboxDto(ctx, rec));
  });
  router.add("POST", "/sandbox/:id/archive", async ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    await archiveSandbox(ctx, rec);
    sendJson(res, 200, sandboxDto(ctx, rec));
  });
  router.add("PUT", "/sandbox/:id/labels", async ({ req, res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    const labels = readLabels(await readJson(req));
    if (!labels) throw new HttpError(400, "labels is required");
    rec.labels = labels;
    await touch(ctx, rec);
    sendJson(res, 200, { labels: rec.labels });
  });
  const intervals: [string, "autoStopInterval" | "autoArchiveInterval" | "autoDeleteInterval"][] = [
    ["autostop", "autoStopInterval"],
    ["autoarchive", "autoArchiveInterval"],
    ["autodelete", "autoDeleteInterval"],
  ];
  for (const [segment, field] of intervals) {
    router.add("POST", `/sandbox/:id/${segment}/:interval`, async ({ res, params }) => {
      const rec = mustFindSandbox(ctx, params.id);
      const n = Number(params.interval);
      if (!Number.isInteger(n) || (n < 0 && field !== "autoDeleteInterval")) throw new HttpError(400, `${field} must be a non-negative integer`);
      rec[field] = n;
      await touch(ctx, rec);
      sendJson(res, 200, sandboxDto(ctx, rec));
    });
  }
  router.add("POST", "/sandbox/:id/public/:isPublic", async ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    rec.public = params.isPublic === "true";
    await touch(ctx, rec);
    sendJson(res, 200, sandboxDto(ctx, rec));
  });
  router.add("POST", "/sandbox/:id/last-activity", async ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    rec.lastActivityAt = new Date().toISOString();
    await ctx.store.saveSandbox(rec);
    res.writeHead(201).end();
  });
  router.add("GET", "/sandbox/:id/toolbox-proxy-url", ({ res, params }) => {
    mustFindSandbox(ctx, params.id);
    sendJson(res, 200, { url: `${ctx.origin()}/toolbox` });
  });
}

export async function startSandbox(ctx: ApiContext, rec: SandboxRecord): Promise<void> {
  // Daytona accepts start while an archive is still being written: it lands first, then the start.
  if (rec.state === "archiving") await waitWhile(rec, "archiving", 60_000);
  if (rec.state === "started") return;
  requireState(rec, ["stopped", "archived", "error"], "start");
  // An archived sandbox (or one whose start from its archive failed) has an archive file and no container.
  const fromArchive = !rec.archiveImage && rec.state !== "stopped" && (await ctx.runtime.status(rec.id)) === "missing" && (await ctx.runtime.hasArchive(rec.id));
  await transition(ctx, rec, "starting", "started", async () => {
    // An archived sandbox has no container: it comes back from its archive file (or, archived by an
    // older server, from the image that archive kept on the engine).
    if (rec.archiveImage) {
      await ctx.runtime.create(runtimeInfo(rec), rec.archiveImage);
      rec.archiveImage = undefined;
    } else if (fromArchive) await ctx.runtime.restore(runtimeInfo(rec));
    else await ctx.runtime.start(runtimeInfo(rec));
  });
}

export async function stopSandbox(ctx: ApiContext, rec: SandboxRecord): Promise<void> {
  if (rec.state === "stopped") return;
  requireState(rec, ["started", "error"], "stop");
  await transition(ctx, rec, "stopping", "stopped", () => stopContainer(ctx, rec.id));
}

export async function archiveSandbox(ctx: ApiContext, rec: SandboxRecord): Promise<void> {
  if (rec.state === "archived" || rec.state === "archiving") return;
  requireState(rec, ["stopped"], "archive");
  // The sandbox's changes go to an archive file in the data dir; its container leaves the engine.
  await transition(ctx, rec, "archiving", "archived", async () => {
    const { file, sizeBytes } = await ctx.runtime.archive(rec.id);
    ctx.log(`sandbox ${rec.id} archived to ${file} (${(sizeBytes / 1e6).toFixed(1)} MB)`);
  });
}

async function waitWhile(rec: SandboxRecord, state: SandboxRecord["state"], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (rec.state === state && Date.now() < until) await sleep(20);
}

async function touch(ctx: ApiContext, rec: SandboxRecord): Promise<void> {
  rec.updatedAt = new Date().toISOString();
  await ctx.store.saveSandbox(rec);
}
