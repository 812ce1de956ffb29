// REST routes of PTY sessions: list, get, create (without connecting), resize, kill.
import { ToolboxError } from "../contract";
import { optNumber, optString, optStringMap, readJson, sendJson, type Route } from "./http";
import type { PtyManager } from "./pty";

function size(v: number | undefined, name: string, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new ToolboxError(400, "BAD_REQUEST", `${name} must be an integer from 1 to 1000`);
  return n;
}

export function ptyRoutes(ptys: PtyManager): Route[] {
  return [
    { method: "GET", pattern: /^\/process\/pty$/, handler: (ctx) => sendJson(ctx.res, 200, { sessions: ptys.list(ctx.info.id) }) },
    {
      method: "POST",
      pattern: /^\/process\/pty$/,
      handler: async (ctx) => {
        const body = await readJson(ctx.req);
        const id = optString(body, "id") ?? "";
        const s = await ptys.create(ctx.info, id, size(optNumber(body, "cols"), "cols", 80), size(optNumber(body, "rows"), "rows", 24), optString(body, "cwd"), optStringMap(body, "envs") ?? {});
        sendJson(ctx.res, 201, { sessionId: s.id });
      },
    },
    { method: "GET", pattern: /^\/process\/pty\/([^/]+)$/, handler: (ctx) => sendJson(ctx.res, 200, ptys.get(ctx.info.id, ctx.params[0])) },
    {
      method: "DELETE",
      pattern: /^\/process\/pty\/([^/]+)$/,
      handler: (ctx) => {
        ptys.kill(ctx.info.id, ctx.params[0]);
        sendJson(ctx.res, 200, { message: `PTY session ${ctx.params[0]} terminated` });
      },
    },
    {
      method: "POST",
      pattern: /^\/process\/pty\/([^/]+)\/resize$/,
      handler: async (ctx) => {
        const body = await readJson(ctx.req);
        const s = ptys.get(ctx.info.id, ctx.params[0]);
        if (s.exit) throw new ToolboxError(410, "SESSION_ENDED", `PTY session ${s.id} has exited`);
        await s.resize(size(optNumber(body, "cols"), "cols", s.cols), size(optNumber(body, "rows"), "rows", s.rows));
        sendJson(ctx.res, 200, s);
      },
    },
  ];
}
