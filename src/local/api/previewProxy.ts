// The preview proxy: /preview/<sandboxId>/<port>/<rest> -> the sandbox's own <port> (the address the
// runtime gives for it), HTTP and WebSocket. A port the sandbox does not listen on itself is 502:
// never a service of the host or of another sandbox.
import * as http from "node:http";
import * as net from "node:net";
import type { Duplex } from "node:stream";
import { HttpError, sendError } from "../http/util";
import type { ApiContext } from "./context";

export interface PreviewTarget {
  sandboxId: string;
  port: number;
  rest: string;
}

export function parsePreviewPath(path: string): PreviewTarget | undefined {
  const m = /^\/preview\/([0-9a-f-]{36})\/(\d{1,5})(\/.*)?$/.exec(path);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { sandboxId: m[1], port, rest: m[3] ?? "/" };
}

const HOP_HEADERS = ["authorization", "x-daytona-preview-token", "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

function targetPath(t: PreviewTarget, url: URL): string {
  const q = new URLSearchParams(url.search);
  q.delete("DAYTONA_SANDBOX_AUTH_KEY");
  const qs = q.toString();
  return t.rest + (qs ? `?${qs}` : "");
}

function checkStarted(ctx: ApiContext, t: PreviewTarget): void {
  const rec = ctx.store.sandboxes.get(t.sandboxId);
  if (!rec) throw new HttpError(404, `Sandbox ${t.sandboxId} not found`);
  if (rec.state !== "started") throw new HttpError(409, `Sandbox ${t.sandboxId} is ${rec.state}`);
  // Traffic to a preview is activity: it holds off auto-stop, as on Daytona's proxy.
  rec.lastActivityAt = new Date().toISOString();
}

async function upstreamOf(ctx: ApiContext, t: PreviewTarget): Promise<{ host: string; port: number }> {
  const addr = await ctx.runtime.previewAddress?.(t.sandboxId, t.port);
  if (!addr) throw new HttpError(502, `Nothing of sandbox ${t.sandboxId} listens on port ${t.port}`);
  return addr;
}

export async function proxyPreview(ctx: ApiContext, req: http.IncomingMessage, res: http.ServerResponse, t: PreviewTarget, url: URL): Promise<void> {
  checkStarted(ctx, t);
  const addr = await upstreamOf(ctx, t);
  const headers = { ...req.headers };
  for (const h of HOP_HEADERS) delete headers[h];
  headers.host = `127.0.0.1:${t.port}`;
  await new Promise<void>((resolve) => {
    const upstream = http.request({ host: addr.host, port: addr.port, method: req.method, path: targetPath(t, url), headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on("end", resolve);
      up.on("error", () => resolve());
    });
    upstream.on("error", (err) => {
      sendError(res, new HttpError(502, `Nothing answers on port ${t.port} of sandbox ${t.sandboxId}: ${err.message}`));
      resolve();
    });
    req.pipe(upstream);
  });
}

export async function proxyPreviewUpgrade(ctx: ApiContext, req: http.IncomingMessage, socket: Duplex, head: Buffer, t: PreviewTarget, url: URL): Promise<void> {
  let addr: { host: string; port: number };
  try {
    checkStarted(ctx, t);
    addr = await upstreamOf(ctx, t);
  } catch (err) {
    socket.end(`HTTP/1.1 ${err instanceof HttpError ? err.statusCode : 500} Preview Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return;
  }
  const upstream = net.connect(addr.port, addr.host, () => {
    const lines = [`${req.method ?? "GET"} ${targetPath(t, url)} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i].toLowerCase();
      if (name === "authorization" || name === "x-daytona-preview-token" || name === "host") continue;
      lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    }
    lines.push(`Host: 127.0.0.1:${t.port}`);
    upstream.write(lines.join("\r\n") + "\r\n\r\n");
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on("error", () => socket.end("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
  socket.on("error", () => upstream.destroy());
  socket.on("close", () => upstream.destroy());
  upstream.on("close", () => socket.destroy());
}
