// GET <toolbox>/<id>/system/metrics: the sandbox's latest resource usage (the daemon's SystemMetrics,
// bytes and percent), sampled by the runtime. The SDK's getMetricsLatest reads it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ToolboxError } from "../contract";
import { errorBody, toToolboxError } from "../toolbox/http";
import { sendJson } from "../http/util";
import { runtimeInfo, type ApiContext } from "./context";

export function isMetricsRequest(method: string | undefined, subpath: string): boolean {
  return method === "GET" && subpath === "/system/metrics";
}

export async function handleMetrics(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, sandboxId: string): Promise<void> {
  try {
    const rec = ctx.store.findSandbox(sandboxId);
    if (!rec) throw new ToolboxError(404, "NOT_FOUND", `sandbox ${sandboxId} not found`);
    if (rec.state !== "started") throw new ToolboxError(409, "CONFLICT", `sandbox ${rec.id} is ${rec.state}`);
    const m = await ctx.runtime.metrics(runtimeInfo(rec), { cpu: rec.cpu, memoryGiB: rec.memory, diskGiB: rec.disk });
    const now = new Date();
    sendJson(res, 200, { ...m, diskFree: Math.max(0, m.diskTotal - m.diskUsed), timestamp: now.toISOString(), timestampUnix: Math.floor(now.getTime() / 1000) });
  } catch (err) {
    const te = toToolboxError(err);
    sendJson(res, te.statusCode, errorBody(te, req));
  }
}
