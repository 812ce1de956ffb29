// Pre-signed file URLs (Sandbox.downloadUrl / uploadUrl): GET <toolbox>/<id>/files/download and
// POST <toolbox>/<id>/files/upload-v2 with ?path&expires&signature and no other credentials. The
// signature is checked here (api/signing.ts) and the file is read or written inside the sandbox
// through the runtime's file operations, exactly as the toolbox's own file routes do; answers use the daemon's error shape.
import busboy from "busboy";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ToolboxError } from "../contract";
import { errorBody, toToolboxError } from "../toolbox/http";
import { sendJson } from "../http/util";
import type { ApiContext } from "./context";
import { runtimeInfo } from "./context";
import { checkFileSignature } from "./signing";

export const SIGNED_FILE_ROUTES: Record<string, string> = { "/files/download": "GET", "/files/upload-v2": "POST" };

/** True when this toolbox request is a pre-signed file URL (it then carries no bearer token). */
export function isSignedFileRequest(method: string | undefined, subpath: string, url: URL): boolean {
  return SIGNED_FILE_ROUTES[subpath] === method && url.searchParams.has("signature");
}

export async function handleSignedFile(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, sandboxId: string, subpath: string, url: URL): Promise<void> {
  try {
    const rec = ctx.store.findSandbox(sandboxId);
    if (!rec) throw new ToolboxError(404, "NOT_FOUND", `sandbox ${sandboxId} not found`);
    const refused = checkFileSignature(rec, req.method ?? "GET", url);
    if (refused) throw new ToolboxError(403, "FORBIDDEN", refused);
    if (rec.state !== "started") throw new ToolboxError(409, "CONFLICT", `sandbox ${rec.id} is ${rec.state}`);
    rec.lastActivityAt = new Date().toISOString();
    const sandboxPath = url.searchParams.get("path")!;
    const info = runtimeInfo(rec);
    const files = ctx.runtime.files(info);
    if (subpath === "/files/download") {
      const { stat, stream } = await files.read(sandboxPath).catch((e: unknown) => Promise.reject(toToolboxError(e, sandboxPath)));
      if (stat.isDir) {
        stream.destroy();
        throw new ToolboxError(400, "BAD_REQUEST", `${sandboxPath} is not a file`);
      }
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": stat.size,
        "content-disposition": `attachment; filename="${path.posix.basename(sandboxPath).replace(/["\\\r\n]/g, "_")}"`,
      });
      await pipeline(stream, res);
      return;
    }
    const st = await files.stat(sandboxPath).catch(() => undefined);
    if (st?.isDir) throw new ToolboxError(400, "BAD_REQUEST", `${sandboxPath} is a directory`);
    // Written inside the sandbox as its user: a hidden sibling renamed into place once whole.
    const type = await receive(req, (data) => files.write(sandboxPath, data).catch((e: unknown) => Promise.reject(toToolboxError(e, sandboxPath))));
    sendJson(res, 200, { name: path.posix.basename(sandboxPath), path: sandboxPath, type });
  } catch (err) {
    const te = toToolboxError(err);
    if (res.headersSent) res.destroy();
    else sendJson(res, te.statusCode, errorBody(te, req));
  }
}

/** The body to `write`: the multipart field "file", or the raw body. Returns the content type. */
async function receive(req: IncomingMessage, write: (data: Readable) => Promise<void>): Promise<string> {
  const ctype = req.headers["content-type"] ?? "";
  if (!ctype.startsWith("multipart/form-data")) {
    await write(req);
    return ctype || "application/octet-stream";
  }
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { files: 1 } });
  } catch (e) {
    throw new ToolboxError(400, "BAD_REQUEST", `invalid multipart request: ${(e as Error).message}`);
  }
  let written: Promise<void> | undefined;
  let type = "application/octet-stream";
  bb.on("file", (name, stream, meta) => {
    if (name !== "file" || written) {
      stream.resume();
      return;
    }
    type = meta.mimeType || type;
    written = write(stream);
    written.catch(() => undefined);
  });
  await pipeline(req, bb);
  if (!written) throw new ToolboxError(400, "BAD_REQUEST", "multipart field file is required");
  await written;
  return type;
}
