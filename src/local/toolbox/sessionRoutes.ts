// REST routes of sessions: create, list, get, delete, exec, command status, logs, input.
import { ToolboxError } from "../contract";
import { optString, readJson, sendEmpty, sendJson, type Ctx, type Route } from "./http";
import type { SessionCommand, SessionManager } from "./sessions";

function logs(cmd: SessionCommand) {
  return { output: cmd.marked(), stdout: cmd.text("stdout"), stderr: cmd.text("stderr") };
}

export function sessionRoutes(sessions: SessionManager): Route[] {
  const session = (ctx: Ctx) => sessions.get(ctx.info.id, ctx.params[0]);
  return [
    {
      method: "POST",
      pattern: /^\/process\/session$/,
      handler: async (ctx) => {
        const id = optString(await readJson(ctx.req), "sessionId");
        if (!id) throw new ToolboxError(400, "BAD_REQUEST", "sessionId is required");
        await sessions.create(ctx.info, id);
        sendEmpty(ctx.res, 201);
      },
    },
    { method: "GET", pattern: /^\/process\/session$/, handler: (ctx) => sendJson(ctx.res, 200, sessions.list(ctx.info.id)) },
    { method: "GET", pattern: /^\/process\/session\/entrypoint$/, handler: (ctx) => sendJson(ctx.res, 200, sessions.entrypoint(ctx.info)) },
    {
      method: "GET",
      pattern: /^\/process\/session\/entrypoint\/logs$/,
      handler: (ctx) => {
        if (ctx.url.searchParams.get("follow") === "true") throw new ToolboxError(400, "BAD_REQUEST", "follow=true needs a WebSocket upgrade");
        sendJson(ctx.res, 200, logs(sessions.entrypoint(ctx.info).command));
      },
    },
    { method: "GET", pattern: /^\/process\/session\/([^/]+)$/, handler: (ctx) => sendJson(ctx.res, 200, session(ctx)) },
    {
      method: "DELETE",
      pattern: /^\/process\/session\/([^/]+)$/,
      handler: (ctx) => {
        sessions.delete(ctx.info.id, ctx.params[0]);
        sendEmpty(ctx.res, 204);
      },
    },
    {
      method: "POST",
      pattern: /^\/process\/session\/([^/]+)\/exec$/,
      handler: async (ctx) => {
        const s = session(ctx);
        const body = await readJson(ctx.req);
        const command = optString(body, "command");
        if (!command || !command.trim()) throw new ToolboxError(400, "BAD_REQUEST", "command is required");
        if (command.includes("\0")) throw new ToolboxError(400, "BAD_REQUEST", "command contains a NUL byte");
        const runAsync = body.runAsync === true || body.async === true;
        const cmd = s.exec(command);
        if (runAsync) {
          sendJson(ctx.res, 202, { cmdId: cmd.id, output: null, exitCode: null });
          return;
        }
        // A client that gives up does not stop the command (as on Daytona); it just stops waiting.
        await cmd.done;
        sendJson(ctx.res, 200, { cmdId: cmd.id, exitCode: cmd.exitCode, ...logs(cmd) });
      },
    },
    { method: "GET", pattern: /^\/process\/session\/([^/]+)\/command\/([^/]+)$/, handler: (ctx) => sendJson(ctx.res, 200, sessions.command(ctx.info, ctx.params[0], ctx.params[1])) },
    {
      method: "GET",
      pattern: /^\/process\/session\/([^/]+)\/command\/([^/]+)\/logs$/,
      handler: (ctx) => {
        if (ctx.url.searchParams.get("follow") === "true") {
          throw new ToolboxError(400, "BAD_REQUEST", "follow=true needs a WebSocket upgrade");
        }
        sendJson(ctx.res, 200, logs(sessions.command(ctx.info, ctx.params[0], ctx.params[1])));
      },
    },
    {
      method: "POST",
      pattern: /^\/process\/session\/([^/]+)\/command\/([^/]+)\/input$/,
      handler: async (ctx) => {
        const data = optString(await readJson(ctx.req), "data");
        if (data === undefined) throw new ToolboxError(400, "BAD_REQUEST", "data is required");
        session(ctx).input(ctx.params[1], data);
        sendEmpty(ctx.res, 204);
      },
    },
  ];
}
