// The main API router (paths relative to /api).
import { Router } from "../http/router";
import type { StatsCounter } from "../stats";
import type { ApiContext } from "./context";
import { registerSandboxRoutes } from "./sandboxes";
import { registerSandboxActions } from "./sandboxActions";
import { registerLineageRoutes } from "./lineage";
import { registerSnapshotRoutes } from "./snapshots";
import { registerPreviewRoutes } from "./previewUrl";
import { registerBuildLogRoutes } from "./buildLogRoutes";
import { registerObjectStorageRoutes } from "./objectStorage";
import { registerVolumeRoutes } from "./volumes";
import { registerSigningRoutes } from "./signing";

export function buildApiRouter(ctx: ApiContext, _stats: StatsCounter): Router {
  const router = new Router();
  registerSandboxRoutes(router, ctx);
  registerSandboxActions(router, ctx);
  registerLineageRoutes(router, ctx);
  registerSnapshotRoutes(router, ctx);
  registerPreviewRoutes(router, ctx);
  registerBuildLogRoutes(router, ctx);
  registerObjectStorageRoutes(router, ctx);
  registerVolumeRoutes(router, ctx);
  registerSigningRoutes(router, ctx);
  return router;
}
