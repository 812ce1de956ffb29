// GET /object-storage/push-access: credentials for the S3 endpoint on this server (/s3). The
// session token is derived from the server token; auth.ts checks it on every S3 request.
import type { Router } from "../http/router";
import { sendJson } from "../http/util";
import { derivedSecret, s3SessionToken } from "../auth";
import { CONTEXT_BUCKET } from "../build/context";
import type { ApiContext } from "./context";

export function registerObjectStorageRoutes(router: Router, ctx: ApiContext): void {
  router.add("GET", "/object-storage/push-access", ({ res }) => {
    sendJson(res, 200, {
      accessKey: "local",
      secret: derivedSecret(ctx.token, "s3-secret"),
      sessionToken: s3SessionToken(ctx.token),
      storageUrl: `${ctx.origin()}/s3`,
      organizationId: ctx.organizationId,
      bucket: CONTEXT_BUCKET,
      region: "us-east-1",
    });
  });
}
