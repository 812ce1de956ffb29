// The docker socket a DinD sandbox sees: an HTTP proxy on a unix socket in front of the host engine.
//
// Every request is first put to the guard (guard.ts: an allow-list; create calls are read whole and
// rewritten), then passed through: streams, and hijacked connections such as exec and attach, which
// arrive as HTTP upgrades (checked by the same guard before the tunnel opens).
import { promises as fs } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import type { Duplex } from "node:stream";
import { GuardRefusal, type Guard, type GuardDecision } from "./guard";

export interface DockerProxyOptions {
  listenPath: string;
  enginePath: string;
  guard: Guard;
  log?(line: string): void;
}

export interface DockerProxy {
  readonly path: string;
  close(): Promise<void>;
}

const MAX_CREATE_BODY = 4 * 1024 * 1024;
/** The calls the engine answers by hijacking the connection (attach, exec start). */
const HIJACKED = /^(?:\/v[0-9.]+)?\/(?:containers\/[^/]+\/attach|exec\/[^/]+\/start)$/;
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
    if (size > MAX_CREATE_BODY) throw new GuardRefusal(413, "create request body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startDockerProxy(o: DockerProxyOptions): Promise<DockerProxy> {
  const tunnels = new Set<Duplex>();

  async function forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const headers = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    const method = req.method ?? "GET";
    const raw = o.guard.needsBody(method, req.url ?? "/") ? await readAll(req) : undefined;
    let decision: GuardDecision;
    try {
      decision = await o.guard.check(method, req.url ?? "/", raw);
    } catch (err) {
      if (!raw) req.resume();
      if (err instanceof GuardRefusal) return answer(res, err.status, err.message);
      throw err;
    }
    const body = decision.body ?? raw;
    if (body) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(body.length);
      delete headers["transfer-encoding"];
    } else if (req.headers["transfer-encoding"]) {
      headers["transfer-encoding"] = "chunked";
    }
    // `around` (a start with bind mounts) wraps the whole engine call: it resolves once the answer is in.
    let finished!: () => void;
    const forwarded = new Promise<void>((r) => (finished = r));
    const send = async (): Promise<void> => {
      const up = http.request({ socketPath: o.enginePath, method, path: decision.path, headers });
      up.on("response", (ur) => {
        const out = { ...ur.headers };
        for (const h of HOP_BY_HOP) delete out[h];
        const status = ur.statusCode ?? 502;
        if ((decision.after && status >= 200 && status < 300) || decision.around) {
          // Read the (small) answer of a create or start call, act on it, then send it on.
          const chunks: Buffer[] = [];
          ur.on("data", (c: Buffer) => chunks.push(c));
          ur.on("end", () => {
            const answerBody = Buffer.concat(chunks);
            const act = decision.after && status >= 200 && status < 300 ? decision.after(answerBody) : Promise.resolve();
            void act
              .catch((err: unknown) => o.log?.(`docker proxy: after ${method} ${decision.path}: ${err instanceof Error ? err.message : String(err)}`))
              .finally(() => {
                res.writeHead(status, { ...out, "content-length": String(answerBody.length) });
                res.end(answerBody);
                finished();
              });
          });
          ur.on("error", () => finished());
          return;
        }
        res.writeHead(status, out);
        // Node holds written headers back until the first body byte; the engine answers a wait call
        // with its headers at once and the body only when the container exits, and the docker CLI
        // starts the container only once those headers are in (`docker run` would hang forever).
        res.flushHeaders();
        ur.pipe(res);
        ur.on("error", () => res.destroy());
        finished();
      });
      up.on("error", (err) => {
        answer(res, 502, `docker engine not reachable: ${err.message}`);
        finished();
      });
      // A client that goes away (ctrl-c on `docker logs -f`) ends the upstream call too.
      res.on("close", () => {
        if (!res.writableFinished) up.destroy();
      });
      if (body) up.end(body);
      else req.pipe(up);
      await forwarded;
    };
    if (!decision.around) return send();
    try {
      await decision.around(send);
    } catch (err) {
      if (err instanceof GuardRefusal) return answer(res, err.status, err.message);
      throw err;
    }
  }

  function refuseTunnel(client: Duplex, status: number, message: string): void {
    const text = JSON.stringify({ message });
    client.end(`HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
  }

  function tunnel(req: http.IncomingMessage, client: Duplex, head: Buffer): void {
    // Hold what the client sends after its request (exec stdin) until the tunnel is piped.
    client.pause();
    const method = req.method ?? "GET";
    // A tunnel passes the client's bytes on as they are: only the two hijacking calls may open one.
    // Any other call sent with Upgrade headers would skip what the guard does to it (a create body
    // rewritten, a start with binds frozen), so it is refused.
    if (method !== "POST" || !HIJACKED.test((req.url ?? "/").split("?")[0])) {
      return refuseTunnel(client, 400, `${method} ${req.url ?? "/"} cannot be upgraded through a local Daytona sandbox's docker socket`);
    }
    o.guard.check(method, req.url ?? "/").then(
      (d) => {
        if (d.body || d.around || d.after) return refuseTunnel(client, 400, `${method} ${req.url ?? "/"} cannot be upgraded`);
        open(req, d.path, client, head);
      },
      (err: unknown) => refuseTunnel(client, err instanceof GuardRefusal ? err.status : 500, err instanceof Error ? err.message : String(err)),
    );
  }

  function open(req: http.IncomingMessage, path: string, client: Duplex, head: Buffer): void {
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
      let text = `${req.method} ${path} HTTP/1.1\r\n`;
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
  // The sandbox's user reaches it through the directory only its container mounts.
  await fs.chmod(o.listenPath, 0o666);
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
