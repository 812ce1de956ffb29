// The local twin of Daytona's SSH gateway, on 127.0.0.1: the ssh user name is an SSH access token
// (Daytona's `ssh <token>@<gateway>`), which names the sandbox. A token that is unknown, expired or
// revoked, or whose sandbox is not started, is refused. Sessions (shell, exec, sftp) and forwarded
// TCP connections (ssh -L) run as processes inside the sandbox through the runtime; the gateway
// itself never opens a connection to any address.
import { Server, type Connection } from "ssh2";
import type { SandboxProcess, SandboxRuntime, SandboxRuntimeInfo, SandboxState } from "../contract";
import type { SshAccessStore } from "./accessStore";
import { handleSession } from "./sessionChannel";
import { forwardTcp } from "./tcpForward";

const LOGIN_GRACE_MS = 30_000;

export interface GatewayHost {
  accesses: SshAccessStore;
  runtime: SandboxRuntime;
  getSandbox(id: string): { info: SandboxRuntimeInfo; state: SandboxState } | undefined;
  touch?(id: string): void;
  log(line: string): void;
}

export interface SshGateway {
  readonly port: number;
  /** Close every connection to a sandbox (it stopped or was deleted). */
  closeSandbox(id: string): void;
  close(): Promise<void>;
}

interface Tracked {
  conn: Connection;
  sandboxId?: string;
  procs: Set<SandboxProcess>;
}

export async function startSshGateway(host: GatewayHost, hostKey: string, port = 0): Promise<SshGateway> {
  const live = new Set<Tracked>();

  const server = new Server({ hostKeys: [hostKey], ident: "daytona-local-gateway" }, (conn, info) => {
    const t: Tracked = { conn, procs: new Set() };
    live.add(t);
    // Like sshd's LoginGraceTime: a connection that has not logged in by then is closed.
    const grace = setTimeout(() => conn.end(), LOGIN_GRACE_MS);
    conn.once("ready", () => clearTimeout(grace));
    conn.once("close", () => clearTimeout(grace));
    conn.on("error", (err) => host.log(`ssh: connection from ${info.ip}: ${err.message}`));
    conn.on("close", () => {
      live.delete(t);
      for (const p of t.procs) p.kill("SIGKILL");
    });

    conn.on("authentication", (auth) => {
      const access = host.accesses.lookup(auth.username);
      const sandbox = access ? host.getSandbox(access.sandboxId) : undefined;
      if (!access || !sandbox || sandbox.state !== "started") {
        host.log(`ssh: refused ${access ? `sandbox ${access.sandboxId} (${sandbox?.state ?? "deleted"})` : "an unknown, expired or revoked token"}`);
        // An empty list: no other method can succeed, so ssh stops at once (no password prompt).
        return auth.reject([]);
      }
      t.sandboxId = access.sandboxId;
      auth.accept();
    });

    conn.on("ready", () => {
      const sandboxId = t.sandboxId!;
      const current = (): SandboxRuntimeInfo | undefined => {
        const sb = host.getSandbox(sandboxId);
        return sb?.state === "started" ? sb.info : undefined;
      };
      const adopt = (p: SandboxProcess) => {
        t.procs.add(p);
        void p.exited.then(() => t.procs.delete(p));
      };
      conn.on("session", (accept, reject) => {
        const info = current();
        if (!info) return reject();
        handleSession(accept(), { runtime: host.runtime, info, log: host.log, touch: () => host.touch?.(sandboxId), adopt });
      });
      conn.on("tcpip", (accept, reject, req) => {
        const info = current();
        if (!info) return reject();
        forwardTcp({ runtime: host.runtime, info, log: host.log, adopt }, req, accept, reject);
      });
      // No remote forwarding (ssh -R), no agent or X11: nothing may listen on the host for a sandbox.
      conn.on("request", (_accept, reject) => reject?.());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === "object" && addr ? addr.port : 0;

  return {
    port: bound,
    closeSandbox(id) {
      for (const t of live) if (t.sandboxId === id) t.conn.end();
    },
    async close() {
      for (const t of live) t.conn.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
