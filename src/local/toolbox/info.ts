// Cheap informational routes: home and work dir, version, listening ports (the sandbox's own network namespace).
import { sendJson, type Ctx, type Route } from "./http";

export const TOOLBOX_VERSION = "local-0.1.0";

export const infoRoutes: Route[] = [
  { method: "GET", pattern: /^\/user-home-dir$/, handler: (ctx: Ctx) => sendJson(ctx.res, 200, { dir: ctx.home }) },
  { method: "GET", pattern: /^\/work-dir$/, handler: (ctx: Ctx) => sendJson(ctx.res, 200, { dir: ctx.home }) },
  { method: "GET", pattern: /^\/version$/, handler: (ctx: Ctx) => sendJson(ctx.res, 200, { version: TOOLBOX_VERSION }) },
  { method: "GET", pattern: /^\/port$/, handler: async (ctx: Ctx) => sendJson(ctx.res, 200, { ports: await ctx.files.listeningPorts() }) },
  {
    method: "GET",
    pattern: /^\/port\/(\d+)\/in-use$/,
    handler: async (ctx: Ctx) => sendJson(ctx.res, 200, { isInUse: (await ctx.files.listeningPorts()).includes(Number(ctx.params[0])) }),
  },
];
