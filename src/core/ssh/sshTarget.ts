// Where Daytona's SSH gateway is and who to log in as, read from the `sshCommand` that
// createSshAccess answers (for example "ssh -p 2222 <token>@ssh.app.daytona.io"). Every value is
// checked against a strict character set, because each one ends up in an ssh_config file.
export interface SshTarget {
  host: string;
  port: number;
  /** The SSH access token: Daytona's gateway takes it as the user name. */
  user: string;
}

export const SAFE_USER = /^[A-Za-z0-9._~-]{1,256}$/;
// A DNS name or an IPv4/IPv6 address: no spaces, quotes, %, # or anything ssh_config would read.
export const SAFE_HOST = /^[A-Za-z0-9.:-]{1,253}$/;

export class SshCommandError extends Error {}

export function parseSshCommand(command: string, token?: string): SshTarget {
  const words = command.trim().split(/\s+/);
  if (words[0] !== "ssh") throw new SshCommandError(`unexpected SSH command from Daytona: it does not start with "ssh"`);
  let port = 22;
  let dest: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === "-p") {
      port = Number(words[++i]);
    } else if (/^-p\d+$/.test(w)) {
      port = Number(w.slice(2));
    } else if (w.startsWith("-")) {
      throw new SshCommandError(`unexpected option ${JSON.stringify(w)} in Daytona's SSH command`);
    } else if (dest === undefined) {
      dest = w;
    } else {
      throw new SshCommandError("unexpected extra words in Daytona's SSH command");
    }
  }
  if (!dest) throw new SshCommandError("Daytona's SSH command names no host");
  const at = dest.lastIndexOf("@");
  const user = at >= 0 ? dest.slice(0, at) : (token ?? "");
  const host = at >= 0 ? dest.slice(at + 1) : dest;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SshCommandError("Daytona's SSH command has an invalid port");
  if (!SAFE_HOST.test(host)) throw new SshCommandError("Daytona's SSH command has an invalid host name");
  if (!SAFE_USER.test(user)) throw new SshCommandError("the SSH access token has characters an ssh user name cannot carry");
  if (token !== undefined && user !== token) throw new SshCommandError("Daytona's SSH command does not carry the SSH access token");
  return { host, port, user };
}

/** True for the local twin's gateway (and any other loopback one). */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
