// Who may talk to the server. The SDK sends `Authorization: Bearer <token>` on every REST, toolbox,
// build-log and toolbox-WebSocket request, `auth: {token}` inside the socket.io handshake (checked in
// events.ts), and AWS SigV4 with the session token we handed out on S3 requests. Preview URLs also
// accept the per-sandbox preview token (header x-daytona-preview-token, or the query parameter
// DAYTONA_SANDBOX_AUTH_KEY that the SDK uses in browsers).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export function sameSecret(a: string | undefined | null, b: string): boolean {
  if (typeof a !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function bearerOk(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization;
  return typeof h === "string" && h.startsWith("Bearer ") && sameSecret(h.slice(7), token);
}

/** A secret derived from the server token, so it can be checked without being stored. */
export function derivedSecret(token: string, purpose: string): string {
  return createHmac("sha256", token).update(purpose).digest("hex").slice(0, 40);
}

export function previewToken(token: string, sandboxId: string): string {
  return derivedSecret(token, `preview:${sandboxId}`);
}

export function s3SessionToken(token: string): string {
  return derivedSecret(token, "s3-session");
}
