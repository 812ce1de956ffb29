// The toolbox: Daytona's per-sandbox daemon API, served by the local server under /toolbox/<id>/...
// server.ts has already checked the bearer token; this side checks the sandbox and its state.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { ToolboxError, type SandboxRuntimeInfo, type Toolbox, type ToolboxHost } from "../contract";
import { executeRoutes } from "./execute";
import { fileRoutes } from "./files";
import { searchRoutes } from "./fileSearch";
import { transferRoutes } from "./fileTransfer";
import { errorBody, sendError, type Ctx, type Route } from "./http";
import { gitRoutes } from "./gitRoutes";
import { infoRoutes } from "./info";
import { InterpreterManager, interpreterRoutes } from "./interpreter";
import { LspManager, lspRoutes } from "./lsp";
import { PtyManager, PTY_EXIT_CONTROL } from "./pty";
import { ptyRoutes } from "./ptyRoutes";
import { SessionManager } from "./sessions";
import { sessionRoutes } from "./sessionRoutes";

export type { Ctx };

/** What WebSocket route handlers get. */
export interface UpgradeCtx {
  req: IncomingMessage;
  url: URL;
  params: string[];
  info: SandboxRuntimeInfo;
  ws: WebSocket;
}

export function createToolbox(host: ToolboxHost): Toolbox {
  const sessions = new SessionManager(host.runtime);
  const ptys = new PtyManager(host.runtime);
  const interpreters = new InterpreterManager(host.runtime);
  const lsp = new LspManager(host.runtime);
  const routes: Route[] = [
    ...fileRoutes,
    ...transferRoutes,
    ...searchRoutes,
    ...executeRoutes,
    ...infoRoutes,
    ...sessionRoutes(sessions),
    ...ptyRoutes(ptys),
    ...interpreterRoutes(interpreters),
    ...gitRoutes,
    ...lspRoutes(lsp),
  ];
  const upgrades: { pattern: RegExp; handle: (u: UpgradeCtx) => void }[] = [
    { pattern: /^\/process\/session\/([^/]+)\/command\/([^/]+)\/logs$/, handle: (u) => sessions.follow(u) },
    { pattern: /^\/process\/session\/entrypoint\/logs$/, handle: (u) => sessions.follow(u) },
    { pattern: /^\/process\/pty\/create-connect$/, handle: (u) => void ptys.createConnect(u) },
    { pattern: /^\/process\/pty\/([^/]+)\/connect$/, handle: (u) => ptys.connect(u) },
    { pattern: /^\/process\/interpreter\/execute$/, handle: (u) => interpreters.execute(u) },
  ];
  // The client aborts unless one of its offered subprotocols is selected; prefer the exit-control one.
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(PTY_EXIT_CONTROL) ? PTY_EXIT_CONTROL : ([...protocols][0] ?? false)),
  });

  /** The sandbox if it exists and is started; otherwise the error to answer with. */
  function sandbox(id: string): SandboxRuntimeInfo {
    const sb = host.getSandbox(id);
    if (!sb) throw new ToolboxError(404, "NOT_FOUND", `sandbox ${id} not found`);
    if (sb.state !== "started") throw new ToolboxError(409, "CONFLICT", `sandbox ${id} is ${sb.state}, not started`);
    host.touch?.(id);
    sessions.entrypoint(sb.info);
    return sb.info;
  }

  function split(subpath: string): URL {
    return new URL(subpath.startsWith("/") ? subpath : `/${subpath}`, "http://toolbox.local");
  }

  return {
    async handle(req: IncomingMessage, res: ServerResponse, sandboxId: string, subpath: string) {
      // Hold the body until a route reads it: a 'data' listener added upstream (byte counting) would
      // otherwise let chunks flow away while this handler awaits something first.
      req.pause();
      try {
        const url = split(subpath);
        const pathname = url.pathname.replace(/\/+$/, "") || "/";
        let params: string[] | undefined;
        let allowed = false;
        const route = routes.find((r) => {
          const m = r.pattern.exec(pathname);
          if (!m) return false;
          allowed = true;
          if (r.method !== req.method) return false;
          params = m.slice(1).map((p) => decodeURIComponent(p));
          return true;
        });
        if (!route) {
          throw allowed ? new ToolboxError(405, "METHOD_NOT_ALLOWED", `${req.method} not allowed on ${pathname}`) : new ToolboxError(404, "NOT_FOUND", `no toolbox route ${pathname}`);
        }
        const info = sandbox(sandboxId);
        const ctx: Ctx = { req, res, url, params: params ?? [], info, host, runtime: host.runtime, home: host.runtime.homeDir(info), files: host.runtime.files(info) };
        await route.handler(ctx);
      } catch (e) {
        sendError(res, e, req);
      }
    },

    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, sandboxId: string, subpath: string) {
      const refuse = (err: ToolboxError) => {
        const body = JSON.stringify(errorBody(err, req));
        socket.end(`HTTP/1.1 ${err.statusCode} Error\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      };
      try {
        const url = split(subpath);
        const pathname = url.pathname.replace(/\/+$/, "");
        let params: string[] = [];
        const route = upgrades.find((r) => {
          const m = r.pattern.exec(pathname);
          if (m) params = m.slice(1).map((p) => decodeURIComponent(p));
          return Boolean(m);
        });
        if (!route) throw new ToolboxError(404, "NOT_FOUND", `no toolbox WebSocket route ${pathname}`);
        const info = sandbox(sandboxId);
        wss.handleUpgrade(req, socket, head, (ws) => {
          try {
            route.handle({ req, url, params, info, ws });
          } catch (e) {
            const te = e instanceof ToolboxError ? e : new ToolboxError(500, "INTERNAL_SERVER_ERROR", String(e));
            ws.close(1011, JSON.stringify({ error: te.message }).slice(0, 120));
          }
        });
      } catch (e) {
        refuse(e instanceof ToolboxError ? e : new ToolboxError(500, "INTERNAL_SERVER_ERROR", String(e)));
      }
    },

    closeSandbox(id: string) {
      sessions.closeSandbox(id);
      ptys.closeSandbox(id);
      interpreters.closeSandbox(id);
      lsp.closeSandbox(id);
    },

    async close() {
      sessions.closeAll();
      ptys.closeAll();
      interpreters.closeAll();
      lsp.closeAll();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
