// Small HTTP helpers shared by the toolbox routes: JSON in and out, Daytona's error body.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ToolboxError, type SandboxFiles, type SandboxProcess, type SandboxRuntime, type SandboxRuntimeInfo, type ToolboxHost } from "../contract";
import { HttpError, readJson as readJsonBody } from "../http/util";

export const DAEMON_SOURCE = "DAYTONA_DAEMON";
const MAX_JSON_BODY = 16 * 1024 * 1024;

/** Everything a route handler needs about one request. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path parameters captured by the route pattern. */
  params: string[];
  info: SandboxRuntimeInfo;
  host: ToolboxHost;
  runtime: SandboxRuntime;
  /** The user's home (and work dir) inside the sandbox: relative paths start here. */
  home: string;
  /** File operations inside the sandbox, as its user. */
  files: SandboxFiles;
}

export type Handler = (ctx: Ctx) => Promise<void> | void;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { "content-length": 0 });
  res.end();
}

export function errorBody(err: ToolboxError, req?: IncomingMessage): Record<string, unknown> {
  return {
    statusCode: err.statusCode,
    message: err.message,
    code: err.code,
    source: DAEMON_SOURCE,
    path: req?.url ?? "",
    method: req?.method ?? "",
    timestamp: new Date().toISOString(),
  };
}

/**
 * A killed process's pipes can fail (ECONNRESET, EPIPE) once it is gone: that is its exit, reported
 * through `exited`, not an error to crash on. Called on every process the toolbox spawns.
 */
/** A killed process's pipes may error (EPIPE, reset) after its end: that is no server failure. */
export function ignorePipeErrors(proc: Pick<SandboxProcess, "stdin" | "stdout" | "stderr" | "extra">): void {
  for (const s of [proc.stdin, proc.stdout, proc.stderr, proc.extra]) s?.on("error", () => undefined);
}

/** Maps node fs errors (ENOENT, EACCES, ...) to Daytona's daemon error codes. */
export function toToolboxError(err: unknown, what = ""): ToolboxError {
  if (err instanceof ToolboxError) return err;
  const e = err as NodeJS.ErrnoException;
  const suffix = what ? `: ${what}` : "";
  switch (e?.code) {
    case "ENOENT":
      return new ToolboxError(404, "FILE_NOT_FOUND", `file not found${suffix}`);
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return new ToolboxError(403, "FILE_ACCESS_DENIED", `permission denied${suffix}`);
    case "ENOTREG":
      return new ToolboxError(400, "BAD_REQUEST", `not a regular file${suffix}`);
    case "ENOTDIR":
    case "EISDIR":
    case "ENOTEMPTY":
    case "EEXIST":
    case "EINVAL":
    case "ENAMETOOLONG":
    case "ELOOP":
      return new ToolboxError(400, "BAD_REQUEST", `${e.code}${suffix}`);
    default:
      return new ToolboxError(500, "INTERNAL_SERVER_ERROR", `${e?.message ?? String(err)}`);
  }
}

export function sendError(res: ServerResponse, err: unknown, req?: IncomingMessage): void {
  const te = toToolboxError(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, te.statusCode, errorBody(te, req));
}

/** The daemon's answer to a body that does not bind to the route's request type (400 INVALID_REQUEST_BODY). */
export function invalidBody(detail: string): ToolboxError {
  return new ToolboxError(400, "INVALID_REQUEST_BODY", `invalid request body: ${detail}`);
}

/** A JSON object body (the API's reader); a body that is not one answers as the daemon does. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    return await readJsonBody(req, MAX_JSON_BODY);
  } catch (err) {
    if (err instanceof HttpError) throw err.statusCode === 400 ? invalidBody(err.message) : new ToolboxError(err.statusCode, "BAD_REQUEST", err.message);
    throw err;
  }
}

/** A required query parameter. */
export function query(ctx: Ctx, name: string): string {
  const v = ctx.url.searchParams.get(name);
  if (v === null || v === "") throw new ToolboxError(400, "BAD_REQUEST", `query parameter ${name} is required`);
  return v;
}

export function optString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalidBody(`${name} must be a string`);
  return v;
}

export function optStringMap(body: Record<string, unknown>, name: string): Record<string, string> | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string")) {
    throw invalidBody(`${name} must be an object of strings`);
  }
  return v as Record<string, string>;
}

export function optNumber(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) throw invalidBody(`${name} must be a number`);
  return v;
}
