// GET /sandbox/{id}/ports/{port}/preview-url -> {sandboxId, url, token}; the URL is served by
// previewProxy.ts on this server. Send the token as header x-daytona-preview-token (or the bearer).
import type { Router } from "../http/router";
import { HttpError, sendJson } from "../http/util";
import { previewToken } from "../auth";
import type { ApiContext } from "./context";
import { mustFindSandbox } from "./lifecycle";

export function previewUrl(ctx: ApiContext, sandboxId: string, port: number): string {
  return `${ctx.origin()}/preview/${sandboxId}/${port}/`;
}

export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HttpError(400, `invalid port ${raw}`);
  return port;
}

export function registerPreviewRoutes(router: Router, ctx: ApiContext): void {
  router.add("GET", "/sandbox/:id/ports/:port/preview-url", ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    const port = parsePort(params.port);
    sendJson(res, 200, { sandboxId: rec.id, url: previewUrl(ctx, rec.id, port), token: previewToken(ctx.token, rec.id) });
  });
}
