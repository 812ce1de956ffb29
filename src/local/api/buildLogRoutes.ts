// Build logs: GET .../build-logs-url -> {url}; GET <url>?follow=true streams (chunked) until the
// build ends. Same for snapshot builds.
import type { Router } from "../http/router";
import { sendJson } from "../http/util";
import type { ApiContext } from "./context";
import { mustFindSandbox } from "./lifecycle";
import { mustFindSnapshot } from "./snapshots";

export function registerBuildLogRoutes(router: Router, ctx: ApiContext): void {
  router.add("GET", "/sandbox/:id/build-logs-url", ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    sendJson(res, 200, { url: `${ctx.origin()}/api/sandbox/${rec.id}/build-logs` });
  });
  router.add("GET", "/sandbox/:id/build-logs", ({ res, params, query }) => {
    const rec = mustFindSandbox(ctx, params.id);
    ctx.buildLogs.serve(rec.id, res, query.get("follow") === "true");
  });
  router.add("GET", "/snapshots/:id/build-logs-url", ({ res, params }) => {
    const snap = mustFindSnapshot(ctx, params.id);
    sendJson(res, 200, { url: `${ctx.origin()}/api/snapshots/${snap.id}/build-logs` });
  });
  router.add("GET", "/snapshots/:id/build-logs", ({ res, params, query }) => {
    const snap = mustFindSnapshot(ctx, params.id);
    ctx.buildLogs.serve(snap.id, res, query.get("follow") === "true");
  });
}
