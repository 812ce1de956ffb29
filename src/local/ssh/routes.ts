// Daytona's SSH access routes: POST /sandbox/:id/ssh-access?expiresInMinutes (SshAccessDto with the
// token and the ssh command), DELETE /sandbox/:id/ssh-access?token (one token, or all of the
// sandbox's when none is given; answers the Sandbox), GET /sandbox/ssh-access/validate?token.
import type { Router } from "../http/router";
import { HttpError, sendJson } from "../http/util";
import type { ApiContext } from "../api/context";
import { sandboxDto } from "../api/dto";
import { mustFindSandbox } from "../api/lifecycle";
import { DEFAULT_EXPIRY_MINUTES, type SshAccessStore } from "./accessStore";

export interface SshService {
  accesses: SshAccessStore;
  /** The gateway's port on 127.0.0.1. */
  port(): number;
}

/** Daytona's own gateway answers `ssh -p <port> <token>@<host>`; so does the twin's. */
export function sshCommand(token: string, port: number): string {
  return `ssh -p ${port} ${token}@127.0.0.1`;
}

export function registerSshAccessRoutes(router: Router, ctx: ApiContext, ssh: SshService): void {
  const exists = (id: string) => {
    const rec = ctx.store.sandboxes.get(id);
    return rec !== undefined && rec.state !== "destroyed" && rec.state !== "destroying";
  };
  // Registered before /sandbox/:id/... routes could read "ssh-access" as an id.
  router.add("GET", "/sandbox/ssh-access/validate", async ({ res, query }) => {
    const token = query.get("token");
    if (!token) throw new HttpError(400, "token is required");
    await ssh.accesses.prune(exists);
    const access = ssh.accesses.lookup(token);
    sendJson(res, 200, { valid: access !== undefined, sandboxId: access?.sandboxId ?? "" });
  });
  router.add("POST", "/sandbox/:id/ssh-access", async ({ res, params, query }) => {
    const rec = mustFindSandbox(ctx, params.id);
    if (!exists(rec.id)) throw new HttpError(409, `Sandbox ${rec.id} is being deleted`);
    const raw = query.get("expiresInMinutes");
    const minutes = raw === null || raw === "" ? DEFAULT_EXPIRY_MINUTES : Number(raw);
    if (!Number.isFinite(minutes) || minutes <= 0) throw new HttpError(400, "expiresInMinutes must be a positive number");
    await ssh.accesses.prune(exists);
    const { record, token } = await ssh.accesses.create(rec.id, minutes);
    sendJson(res, 200, {
      id: record.id,
      sandboxId: record.sandboxId,
      token,
      expiresAt: record.expiresAt,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      sshCommand: sshCommand(token, ssh.port()),
    });
  });
  router.add("DELETE", "/sandbox/:id/ssh-access", async ({ res, params, query }) => {
    const rec = mustFindSandbox(ctx, params.id);
    await ssh.accesses.revoke(rec.id, query.get("token") ?? undefined);
    sendJson(res, 200, sandboxDto(ctx, rec));
  });
}
