// The docker socket a DinD sandbox sees: an HTTP proxy on a unix socket in front of the host engine.
//
// Everything is passed through unchanged (streams, and hijacked connections such as exec and attach,
// which arrive as HTTP upgrades) except the three create calls, whose JSON body is handed to
// `rewrite` first: the sandbox layer labels every container, network and volume with the sandbox's id
// (so stop and delete find them) and translates bind-mount sources from in-sandbox paths to host paths.
import { promises as fs } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import type { Duplex } from "node:stream";

export type CreateKind = "containers" | "networks" | "volumes";

export interface DockerProxyOptions {
  listenPath: string;
  enginePath: string;
  /** Change a create call's body in place; throw to refuse the call (the message reaches the client). */
  rewrite(kind: CreateKind, body: Record<string, unknown>): void;
  /** Labels added to every image built through this socket (POST /build, query parameter `labels`). */
  buildLabels: Record<string, string>;
  log?(line: string): void;
}

export interface DockerProxy {
  readonly path: string;
  close(): Promise<void>;
}

const CREATE = /^(?:\/v[0-9.]+)?\/(containers|networks|volumes)\/create$/;
const BUILD = /^(?:\/v[0-9.]+)?\/build$/;
const MAX_CREATE_BODY = 4 * 1024 * 1024;
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

function answer(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify({ message });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readAll(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_CREATE_BODY) throw new Error("create request body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startDockerProxy(o: DockerProxyOptions): Promise<DockerProxy> {
  const tunnels = new Set<Duplex>();

  async function forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const headers = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    const url = new URL(req.url ?? "/", "http://docker");
    const m = req.method === "POST" ? CREATE.exec(url.pathname) : null;
    let upPath = req.url ?? "/";
    if (req.method === "POST" && BUILD.test(url.pathname)) {
      let labels: Record<string, string> = {};
      try {
        labels = JSON.parse(url.searchParams.get("labels") || "{}") as Record<string, string>;
      } catch {
        labels = {};
      }
      url.searchParams.set("labels", JSON.stringify({ ...labels, ...o.buildLabels }));
      upPath = url.pathname + url.search;
    }
    let body: Buffer | undefined;
    if (m) {
      const raw = await readAll(req);
      let parsed: unknown = {};
      try {
        parsed = raw.length ? JSON.parse(raw.toString("utf8")) : {};
      } catch {
        answer(res, 400, "request body is not valid JSON");
        return;
      }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        answer(res, 400, "request body must be a JSON object");
        return;
      }
      try {
        o.rewrite(m[1] as CreateKind, parsed as Record<string, unknown>);
      } catch (err) {
        answer(res, 400, `local Daytona sandbox: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      body = Buffer.from(JSON.stringify(parsed));
      headers["content-type"] = "application/json";
      headers["content-length"] = String(body.length);
    } else if (req.headers["transfer-encoding"]) {
      headers["transfer-encoding"] = "chunked";
    }
    const up = http.request({ socketPath: o.enginePath, method: req.method, path: upPath, headers });
    up.on("response", (ur) => {
      const out = { ...ur.headers };
      for (const h of HOP_BY_HOP) delete out[h];
      res.writeHead(ur.statusCode ?? 502, out);
      ur.pipe(res);
      ur.on("error", () => res.destroy());
    });
    up.on("error", (err) => answer(res, 502, `docker engine not reachable: ${err.message}`));
    // A client that goes away (ctrl-c on `docker logs -f`) ends the upstream call too.
    res.on("close", () => {
      if (!res.writableFinished) up.destroy();
    });
    if (body) up.end(body);
    else req.pipe(up);
  }

  function tunnel(req: http.IncomingMessage, client: Duplex, head: Buffer): void {
    const engine = net.connect(o.enginePath);
    tunnels.add(client);
    const done = (): void => {
      tunnels.delete(client);
      client.destroy();
      engine.destroy();
    };
    client.on("error", done);
    client.on("close", done);
    engine.on("error", done);
    engine.on("close", done);
    engine.on("connect", () => {
      let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      engine.write(text + "\r\n");
      if (head.length) engine.write(head);
      client.pipe(engine);
      engine.pipe(client);
    });
  }

  const server = http.createServer((req, res) => {
    req.on("error", () => res.destroy());
    forward(req, res).catch((err: unknown) => answer(res, 500, err instanceof Error ? err.message : String(err)));
  });
  // Long builds, `docker logs -f` and `docker events` must not be cut off by the server's timeouts.
  server.requestTimeout = 0;
  server.timeout = 0;
  server.on("upgrade", tunnel);
  server.on("clientError", (_err, socket) => socket.destroy());
  await fs.rm(o.listenPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.listenPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (err) => o.log?.(`docker proxy ${o.listenPath}: ${err.message}`));
  await fs.chmod(o.listenPath, 0o600);
  return {
    path: o.listenPath,
    async close() {
      for (const t of tunnels) t.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.rm(o.listenPath, { force: true });
    },
  };
}
