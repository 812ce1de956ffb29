// The local Daytona-compatible server: one HTTP server on 127.0.0.1 carrying the main API under /api,
// the toolbox under /toolbox/<sandboxId>, socket.io under /api/socket.io/, an S3 path-style endpoint
// under /s3 for build contexts, and preview proxies under /preview/<sandboxId>/<port>/.
import * as http from "node:http";
import type { Duplex } from "node:stream";
import { randomBytes } from "node:crypto";
import type { SandboxRuntime, Toolbox, ToolboxHost } from "./contract";
import { createRuntime } from "./runtime/index";
import { Store } from "./store/store";
import { Events, SOCKET_PATH } from "./events";
import { BuildLogs } from "./build/logs";
import { parseFaultSpec, seededRandom, wrapSocket, type FaultSpec } from "./faults";
import { routePattern, StatsCounter, type Stats } from "./stats";
import { bearerOk, previewToken, sameSecret, s3SessionToken } from "./auth";
import { HttpError, sendError, sendJson } from "./http/util";
import type { ApiContext } from "./api/context";
import { buildApiRouter } from "./api/routes";
import { recoverAfterRestart, ensureDefaultSnapshots } from "./api/recovery";
import { runtimeInfo } from "./api/context";
import { handleS3 } from "./api/s3";
import { proxyPreview, proxyPreviewUpgrade, parsePreviewPath } from "./api/previewProxy";
import { SshAccessStore } from "./ssh/accessStore";
import { startSshGateway } from "./ssh/gateway";
import { loadOrCreateHostKey } from "./ssh/hostKey";
import { withStablePort } from "./ssh/stablePort";
import { registerSshAccessRoutes } from "./ssh/routes";
import { hostDirVolumeStorage } from "./api/volumeStorage";
import { startAutoLifecycle } from "./api/autoLifecycle";
import { findSignedPreview, parseSignedPreviewPath } from "./api/signing";
import { handleSignedFile, isSignedFileRequest } from "./api/signedFiles";
import { handleMetrics, isMetricsRequest } from "./api/metrics";

export type { FaultSpec } from "./faults";
export type { Stats } from "./stats";

export interface LocalServerOptions {
  port?: number;
  host?: "127.0.0.1";
  dataDir: string;
  token?: string;
  /**
   * The origin clients reach this server at, when something sits in front of it (the latency proxy):
   * toolbox, preview, S3 and build-log URLs are given out on it. Default: http://127.0.0.1:<port>.
   */
  publicOrigin?: string;
  faults?: FaultSpec | string;
  runtime?: SandboxRuntime;
  log?: (line: string) => void;
  /** How long transitional states stay visible (default 100 ms). */
  transitionMs?: number;
  /** The SSH gateway's port on 127.0.0.1 (default: the one this data dir used last, else any free one). */
  sshPort?: number;
  /**
   * How long one "minute" of the auto-stop / auto-archive / auto-delete intervals lasts, in ms
   * (default 60000). Tests shorten it so that an interval of 1 acts within a fraction of a second.
   */
  minuteMs?: number;
  /** Ready containers kept per default snapshot so a create is fast (default 0: none). */
  warmPool?: number;
  /**
   * On stop, remove everything this server has on the Docker engine (containers, images, networks,
   * volumes of its instance) and its archive files: for throw-away data dirs (tests, benches).
   */
  purgeOnExit?: boolean;
  /**
   * A connection with no bytes in either direction for this long is closed (default 120 s). There is
   * no cap on a whole request's duration: a slow upload that keeps moving is never cut.
   */
  idleTimeoutMs?: number;
  /** How long a socket.io connection may stay open without authenticating (default 10 s). */
  socketAuthWindowMs?: number;
  /** Replace the toolbox (tests of the API side alone); default: toolbox/index.ts createToolbox. */
  createToolbox?: (host: ToolboxHost) => Toolbox;
}

export interface LocalServer {
  apiUrl: string;
  token: string;
  port: number;
  /** The SSH gateway (token as the ssh user, see ssh/gateway.ts). */
  sshPort: number;
  stats(): Stats;
  stop(): Promise<void>;
}

export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const log = opts.log ?? (() => undefined);
  const token = opts.token ?? process.env.DAYTONA_LOCAL_TOKEN ?? randomBytes(24).toString("hex");
  const faults: FaultSpec = typeof opts.faults === "string" ? parseFaultSpec(opts.faults) : (opts.faults ?? { errorRate: 0, seed: 1 });
  const random = seededRandom(faults.seed);
  const stats = new StatsCounter();
  const store = await Store.open(opts.dataDir);
  const runtime = opts.runtime ?? (await createRuntime({ dataDir: opts.dataDir, log, poolSize: opts.warmPool ?? 0 }));
  const events = new Events(token, opts.socketAuthWindowMs ?? 10_000);
  const pending = new Set<Promise<void>>();
  let port = 0;
  const ctx: ApiContext = {
    store,
    runtime,
    // Set right below, once the toolbox (which needs this context's store) exists.
    toolbox: undefined as unknown as Toolbox,
    events,
    buildLogs: new BuildLogs(),
    token,
    organizationId: "local",
    origin: () => opts.publicOrigin ?? `http://127.0.0.1:${port}`,
    transitionMs: opts.transitionMs ?? 100,
    volumes: hostDirVolumeStorage(opts.dataDir),
    minuteMs: opts.minuteMs ?? 60_000,
    inUse: new Map(),
    log,
    background(name, work) {
      const p = work().catch((err: unknown) => log(`${name}: ${err instanceof Error ? err.stack : String(err)}`));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
  };
  // Loaded lazily so a test may inject its own toolbox without loading the real one.
  const createToolbox = opts.createToolbox ?? (await import("./toolbox/index.js")).createToolbox;
  // What the toolbox and the SSH gateway may know of sandboxes.
  const sandboxHost: ToolboxHost = {
    runtime,
    getSandbox(id) {
      const rec = store.sandboxes.get(id);
      return rec ? { info: runtimeInfo(rec), state: rec.state } : undefined;
    },
    touch(id) {
      const rec = store.sandboxes.get(id);
      if (rec) rec.lastActivityAt = new Date().toISOString();
    },
  };
  ctx.toolbox = createToolbox(sandboxHost);
  await ensureDefaultSnapshots(ctx);
  await recoverAfterRestart(ctx);
  const api = buildApiRouter(ctx, stats);
  const sshAccesses = await SshAccessStore.open(opts.dataDir);
  const hostKey = await loadOrCreateHostKey(opts.dataDir);
  const gatewayHost = { ...sandboxHost, accesses: sshAccesses, log };
  const gateway =
    opts.sshPort === undefined ? await withStablePort(opts.dataDir, (p) => startSshGateway(gatewayHost, hostKey, p)) : await startSshGateway(gatewayHost, hostKey, opts.sshPort);
  registerSshAccessRoutes(api, ctx, { accesses: sshAccesses, port: () => gateway.port });
  // A sandbox that stops or goes away drops its SSH connections along with its PTYs and sessions.
  const closeToolboxSandbox = ctx.toolbox.closeSandbox.bind(ctx.toolbox);
  ctx.toolbox.closeSandbox = (id) => {
    closeToolboxSandbox(id);
    gateway.closeSandbox(id);
  };
  const stopAutoLifecycle = startAutoLifecycle(ctx);

  const inFlight = new WeakMap<object, { req: http.IncomingMessage; res: http.ServerResponse }>();
  const server = http.createServer((req, res) => {
    inFlight.set(req.socket, { req, res });
    void handle(req, res).catch((err: unknown) => sendError(res, err));
  });
  // Node's default 300 s cap on a whole request would cut long uploads and downloads; an idle
  // timeout (no bytes either way) closes stalled connections instead: a body that stopped arriving,
  // a response the client stopped reading, an idle connection. A complete request the server is still
  // working on (a long command, a quiet build log) is kept. Headers must still arrive within 60 s.
  const idleMs = opts.idleTimeoutMs ?? 120_000;
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.timeout = idleMs;
  server.on("timeout", (socket: import("node:net").Socket) => {
    const cur = inFlight.get(socket);
    if (!cur || cur.res.writableEnded || !cur.req.complete || cur.res.writableNeedDrain) socket.destroy();
    else socket.setTimeout(idleMs);
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const internal = path.startsWith("/api/_local/");
    if (!internal) countBytes(req, res);
    const preview = parsePreviewPath(path);
    const signedPreview = parseSignedPreviewPath(path);
    if (signedPreview) {
      // The token is the credential: no bearer, no preview token.
      stats.request(`${req.method} /preview-signed/:port-:token`);
      const rec = findSignedPreview(ctx, signedPreview.port, signedPreview.token);
      if (!rec) throw new HttpError(401, "The signed preview URL is invalid or has expired");
      await proxyPreview(ctx, req, res, { sandboxId: rec.id, port: signedPreview.port, rest: signedPreview.rest }, url);
      return;
    }
    const tbSigned = /^\/toolbox\/([^/]+)(\/.*)$/.exec(path);
    if (tbSigned && isSignedFileRequest(req.method, tbSigned[2], url)) {
      stats.request(`${req.method} /toolbox/:id${tbSigned[2]} (signed)`);
      await handleSignedFile(ctx, req, res, decodeURIComponent(tbSigned[1]), tbSigned[2], url);
      return;
    }
    if (!authorized(req, url, preview?.sandboxId)) {
      if (!internal) stats.request(`${req.method} ${routeGroup(path)} (401)`);
      throw new HttpError(401, "Unauthorized");
    }
    if (!internal && faults.errorRate > 0 && random() < faults.errorRate) {
      stats.fault("injected5xx");
      stats.request(`${req.method} ${routeGroup(path)} (503)`);
      throw new HttpError(503, "Service Unavailable (injected fault)");
    }
    if (path.startsWith("/api/")) {
      const m = api.match(req.method ?? "GET", path.slice(4));
      if (!m) throw new HttpError(404, `Cannot ${req.method} ${path}`);
      if (!("route" in m)) throw new HttpError(405, `Method ${req.method} not allowed on ${path}`);
      if (!internal) stats.request(`${req.method} ${m.route.pattern}`);
      await m.route.handler({ req, res, params: m.params, query: url.searchParams });
      return;
    }
    const tb = /^\/toolbox\/([^/]+)(\/.*)?$/.exec(path);
    if (tb) {
      const sub = tb[2] ?? "/";
      stats.request(`${req.method} /toolbox/:id${routePattern(sub)}`);
      if (isMetricsRequest(req.method, sub)) {
        await handleMetrics(ctx, req, res, decodeURIComponent(tb[1]));
        return;
      }
      // The sandbox is in use until the answer is sent (a first call may take a while: the agent
      // starts), and that end is activity too.
      const id = decodeURIComponent(tb[1]);
      ctx.inUse.set(id, (ctx.inUse.get(id) ?? 0) + 1);
      try {
        await ctx.toolbox.handle(req, res, id, sub + url.search);
      } finally {
        const n = (ctx.inUse.get(id) ?? 1) - 1;
        if (n > 0) ctx.inUse.set(id, n);
        else ctx.inUse.delete(id);
        sandboxHost.touch?.(id);
      }
      return;
    }
    if (path.startsWith("/s3/")) {
      stats.request(`${req.method} /s3`);
      await handleS3(ctx, req, res, url);
      return;
    }
    if (preview) {
      stats.request(`${req.method} /preview/:id/:port`);
      await proxyPreview(ctx, req, res, preview, url);
      return;
    }
    throw new HttpError(404, `Cannot ${req.method} ${path}`);
  }

  function authorized(req: http.IncomingMessage, url: URL, previewSandbox?: string): boolean {
    if (bearerOk(req, token)) return true;
    if (url.pathname.startsWith("/s3/")) return sameSecret(headerOf(req, "x-amz-security-token"), s3SessionToken(token));
    if (previewSandbox) {
      const rec = store.sandboxes.get(previewSandbox);
      if (rec?.public) return true;
      const expected = previewToken(token, previewSandbox);
      return sameSecret(headerOf(req, "x-daytona-preview-token"), expected) || sameSecret(url.searchParams.get("DAYTONA_SANDBOX_AUTH_KEY"), expected);
    }
    // A preview token is scoped to preview URLs (as Daytona scopes it): toolbox calls, REST, S3 and
    // WebSockets other than previews need the API key.
    return false;
  }

  /** Bytes on the wire (headers included) for this request, from the socket's counters. */
  function countBytes(req: http.IncomingMessage, res: http.ServerResponse): void {
    const sock = req.socket;
    const read0 = sock.bytesRead;
    const written0 = sock.bytesWritten;
    res.once("close", () => {
      stats.bytes("in", sock.bytesRead - read0);
      stats.bytes("out", sock.bytesWritten - written0);
    });
  }

  // Upgraded connections, so a test can cut them all at the moment it chooses (POST /_local/drop-ws).
  const upgraded = new Set<Duplex>();
  server.on("upgrade", (req: http.IncomingMessage, raw: Duplex, head: Buffer) => {
    // WebSockets keep their own liveness (pings, PTY sessions that sit idle): no HTTP idle timeout.
    (raw as Partial<Pick<import("node:net").Socket, "setTimeout">>).setTimeout?.(0);
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = url.pathname;
      const isSocketIo = path === SOCKET_PATH || path === SOCKET_PATH.slice(0, -1);
      const preview = parsePreviewPath(path);
      // A signed preview URL carries its own credential (the token in the path).
      const signedPreview = parseSignedPreviewPath(path);
      const signedRec = signedPreview && findSignedPreview(ctx, signedPreview.port, signedPreview.token);
      if (signedPreview && !signedRec) {
        stats.request(`WS /preview-signed (401)`);
        raw.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      // socket.io authenticates inside its handshake (auth.token), not on the upgrade request (events.ts
      // closes connections that do not); a bearer header that is there must be right, though.
      const socketIoRefused = isSocketIo && req.headers.authorization !== undefined && !bearerOk(req, token);
      if (socketIoRefused || (!isSocketIo && !signedRec && !authorized(req, url, preview?.sandboxId))) {
        stats.request(`WS ${routeGroup(path)} (401)`);
        raw.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      const socket = wrapSocket(raw, {
        dropAfterMs: faults.dropWsAfterMs,
        onDrop: () => stats.fault("droppedWs"),
        count: (dir, n) => stats.ws(dir, n),
      });
      upgraded.add(raw);
      raw.once("close", () => upgraded.delete(raw));
      if (signedPreview && signedRec) {
        stats.upgrade("WS /preview-signed/:port-:token");
        proxyPreviewUpgrade(ctx, req, socket, head, { sandboxId: signedRec.id, port: signedPreview.port, rest: signedPreview.rest }, url);
        return;
      }
      if (isSocketIo) {
        stats.upgrade("WS /api/socket.io");
        events.handleUpgrade(req, socket, head);
        return;
      }
      const tb = /^\/toolbox\/([^/]+)(\/.*)?$/.exec(path);
      if (tb) {
        const sub = tb[2] ?? "/";
        stats.upgrade(`WS /toolbox/:id${routePattern(sub)}`);
        ctx.toolbox.upgrade(req, socket, head, decodeURIComponent(tb[1]), sub + url.search);
        return;
      }
      if (preview) {
        stats.upgrade("WS /preview/:id/:port");
        await proxyPreviewUpgrade(ctx, req, socket, head, preview, url);
        return;
      }
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    })().catch((err: unknown) => {
      log(`upgrade failed: ${err instanceof Error ? err.message : String(err)}`);
      raw.destroy();
    });
  });

  // Internal endpoints for tests and benchmarks in other processes (authenticated, not counted).
  api.add("GET", "/_local/stats", ({ res }) => sendJson(res, 200, stats.snapshot()));
  api.add("POST", "/_local/stats/reset", ({ res }) => {
    stats.reset();
    sendJson(res, 200, stats.snapshot());
  });
  // The drop-ws fault on demand: every WebSocket cut now, counted before the cut.
  api.add("POST", "/_local/drop-ws", ({ res }) => {
    const cut = [...upgraded];
    for (const raw of cut) {
      stats.fault("droppedWs");
      raw.destroy();
    }
    sendJson(res, 200, { dropped: cut.length });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  port = typeof addr === "object" && addr ? addr.port : 0;
  log(`local Daytona server on http://127.0.0.1:${port} (data ${opts.dataDir}, sandboxes are containers on ${runtime.description})`);

  let stopping: Promise<void> | undefined;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    token,
    port,
    sshPort: gateway.port,
    stats: () => stats.snapshot(),
    stop() {
      stopping ??= (async () => {
        stopAutoLifecycle();
        ctx.buildLogs.closeAll();
        await events.close();
        await gateway.close();
        await ctx.toolbox.close();
        await Promise.allSettled([...pending]);
        await runtime.close();
        if (opts.purgeOnExit) {
          const n = await runtime.purgeInstance().catch((e: unknown) => (log(`purge on exit failed: ${String(e)}`), undefined));
          if (n) log(`purged this instance from the engine: ${JSON.stringify(n)}`);
        }
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.flush();
      })();
      return stopping;
    },
  };
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function routeGroup(path: string): string {
  return routePattern(path).split("/").slice(0, 3).join("/");
}
