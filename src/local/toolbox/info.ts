// Cheap informational routes: home and work dir, version, listening ports.
import * as fs from "node:fs";
import { sendJson, type Ctx, type Route } from "./http";

export const TOOLBOX_VERSION = "local-0.1.0";

/** TCP ports in LISTEN state from /proc/net/tcp{,6}: the host's view (the sandbox shares it unless networkBlockAll). */
function listeningPorts(): number[] {
  const ports = new Set<number>();
  for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = fs.readFileSync(f, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === "0A") ports.add(parseInt(cols[1].split(":")[1], 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

export const infoRoutes: Route[] = [
  { method: "GET", pattern: /^\/user-home-dir$/, handler: (ctx: Ctx) => sendJson(ctx.res, 200, { dir: ctx.layout.homeInside }) },
  { method: "GET", pattern: /^\/work-dir$/, handler: (ctx: Ctx) => sendJson(ctx.res, 200, { dir: ctx.layout.homeInside }) },
  { method: "GET", pattern: /^\/version$/, handler: (ctx: Ctx) => sendJson(ctx.res, 200, { version: TOOLBOX_VERSION }) },
  { method: "GET", pattern: /^\/port$/, handler: (ctx: Ctx) => sendJson(ctx.res, 200, { ports: listeningPorts() }) },
  {
    method: "GET",
    pattern: /^\/port\/(\d+)\/in-use$/,
    handler: (ctx: Ctx) => sendJson(ctx.res, 200, { isInUse: listeningPorts().includes(Number(ctx.params[0])) }),
  },
];
