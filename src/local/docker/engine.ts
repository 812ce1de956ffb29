// A small client of the host's Docker Engine API over its unix socket (no docker CLI needed).
import * as http from "node:http";

/** The host engine's socket: DOCKER_HOST when it is unix://..., else /var/run/docker.sock. */
export function engineSocketPath(): string {
  const h = process.env.DOCKER_HOST;
  return h?.startsWith("unix://") ? h.slice("unix://".length) : "/var/run/docker.sock";
}

export interface EngineAnswer {
  status: number;
  body: unknown;
}

export function engineRequest(method: string, path: string, body?: unknown, socketPath = engineSocketPath()): Promise<EngineAnswer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { socketPath, method, path, headers: data ? { "content-type": "application/json", "content-length": data.length } : {}, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (for example "OK" from /_ping)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`docker engine: ${method} ${path} timed out`)));
    req.on("error", reject);
    req.end(data);
  });
}

/** Like engineRequest, but an answer >= 400 (other than the allowed ones) is an error with the engine's message. */
export async function engineCall(method: string, path: string, body?: unknown, allow: number[] = []): Promise<unknown> {
  const a = await engineRequest(method, path, body);
  if (a.status >= 400 && !allow.includes(a.status)) {
    const msg = a.body && typeof a.body === "object" && "message" in a.body ? String((a.body as { message: unknown }).message) : String(a.body);
    throw new Error(`docker engine: ${method} ${path}: ${a.status} ${msg}`);
  }
  return a.body;
}

/** True when the engine answers /_ping. */
export async function engineAvailable(): Promise<boolean> {
  try {
    return (await engineRequest("GET", "/_ping")).status === 200;
  } catch {
    return false;
  }
}
