// Per-sandbox signing keys and what they sign: pre-signed file URLs (the SDK computes them itself
// from the key: HMAC-SHA256 over "v1:files:<METHOD>:<path>:<expires>", base64url, prefix "v1_") and
// signed preview URLs (tokens the server hands out, each for one port, until it expires or is
// revoked). Rotating the key invalidates both.
import { createHmac, randomBytes } from "node:crypto";
import type { Router } from "../http/router";
import { HttpError, sendJson } from "../http/util";
import { sameSecret } from "../auth";
import type { SandboxRecord } from "../store/records";
import type { ApiContext } from "./context";
import { mustFindSandbox } from "./lifecycle";
import { parsePort } from "./previewUrl";

const DEFAULT_PREVIEW_SECONDS = 60;
const MAX_PREVIEW_SECONDS = 24 * 60 * 60;

export const SIGNED_PREVIEW_PREFIX = "/preview-signed/";

export async function ensureSigningKey(ctx: ApiContext, rec: SandboxRecord): Promise<string> {
  if (!rec.signingKey) {
    rec.signingKey = randomBytes(32).toString("base64url");
    await ctx.store.saveSandbox(rec);
  }
  return rec.signingKey;
}

/** Why a signed file URL is refused, or undefined when it is good. */
export function checkFileSignature(rec: SandboxRecord, method: string, url: URL, nowMs = Date.now()): string | undefined {
  const filePath = url.searchParams.get("path");
  const expiresRaw = url.searchParams.get("expires");
  const signature = url.searchParams.get("signature");
  if (filePath === null || expiresRaw === null || signature === null) return "signed URL needs path, expires and signature";
  if (!/^\d{1,12}$/.test(expiresRaw)) return "invalid expires";
  const expires = Number(expiresRaw);
  if (!rec.signingKey) return "invalid signature";
  const digest = createHmac("sha256", rec.signingKey).update(`v1:files:${method}:${filePath}:${expires}`).digest("base64url");
  if (!sameSecret(signature, `v1_${digest}`)) return "invalid signature";
  if (expires !== 0 && expires * 1000 < nowMs) return "signed URL has expired";
  return undefined;
}

export function signedPreviewUrl(ctx: ApiContext, port: number, token: string): string {
  return `${ctx.origin()}${SIGNED_PREVIEW_PREFIX}${port}-${token}/`;
}

/** The sandbox and port a signed preview token opens, if it is known and not expired. */
export function findSignedPreview(ctx: ApiContext, port: number, token: string, nowMs = Date.now()): SandboxRecord | undefined {
  for (const rec of ctx.store.sandboxes.values()) {
    const hit = rec.signedPreviews?.find((p) => p.port === port && sameSecret(token, p.token));
    if (hit) return hit.expiresAt > nowMs ? rec : undefined;
  }
  return undefined;
}

export function parseSignedPreviewPath(path: string): { port: number; token: string; rest: string } | undefined {
  if (!path.startsWith(SIGNED_PREVIEW_PREFIX)) return undefined;
  const m = /^(\d{1,5})-([a-z0-9]{8,64})(\/.*)?$/.exec(path.slice(SIGNED_PREVIEW_PREFIX.length));
  if (!m) return undefined;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return undefined;
  return { port, token: m[2], rest: m[3] ?? "/" };
}

function newPreviewToken(): string {
  // Lower-case letters and digits only: Daytona puts the token in a host name.
  let out = "";
  for (const b of randomBytes(20)) out += (b % 36).toString(36);
  return out;
}

export function registerSigningRoutes(router: Router, ctx: ApiContext): void {
  router.add("GET", "/sandbox/:id/signing-key", async ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    sendJson(res, 200, await ensureSigningKey(ctx, rec));
  });
  router.add("POST", "/sandbox/:id/signing-key/rotate", async ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    rec.signingKey = randomBytes(32).toString("base64url");
    rec.signedPreviews = [];
    await ctx.store.saveSandbox(rec);
    sendJson(res, 200, rec.signingKey);
  });
  router.add("GET", "/sandbox/:id/ports/:port/signed-preview-url", async ({ res, params, query }) => {
    const rec = mustFindSandbox(ctx, params.id);
    const port = parsePort(params.port);
    const raw = query.get("expiresInSeconds");
    const seconds = raw === null || raw === "" ? DEFAULT_PREVIEW_SECONDS : Number(raw);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PREVIEW_SECONDS) {
      throw new HttpError(400, `expiresInSeconds must be an integer between 1 and ${MAX_PREVIEW_SECONDS}`);
    }
    const now = Date.now();
    const token = newPreviewToken();
    rec.signedPreviews = [...(rec.signedPreviews ?? []).filter((p) => p.expiresAt > now), { token, port, expiresAt: now + seconds * 1000 }];
    await ctx.store.saveSandbox(rec);
    sendJson(res, 200, { sandboxId: rec.id, port, token, url: signedPreviewUrl(ctx, port, token) });
  });
  router.add("POST", "/sandbox/:id/ports/:port/signed-preview-url/:token/expire", async ({ res, params }) => {
    const rec = mustFindSandbox(ctx, params.id);
    const port = parsePort(params.port);
    rec.signedPreviews = (rec.signedPreviews ?? []).filter((p) => !(p.port === port && p.token === params.token));
    await ctx.store.saveSandbox(rec);
    res.writeHead(200, { "content-length": 0 }).end();
  });
}
