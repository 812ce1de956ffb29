// ssh -L (direct-tcpip): each forwarded connection is a relay process inside the sandbox that
// connects from the sandbox's network (see relay.ts). The channel is accepted only once the relay
// has connected, so a closed port fails the way sshd's does ("open failed: connect failed").
import type { AcceptConnection, RejectConnection, TcpipRequestInfo } from "ssh2";
import type { SandboxProcess, SandboxRuntime, SandboxRuntimeInfo } from "../contract";
import { relayArgv } from "./relay";

export interface ForwardHost {
  runtime: SandboxRuntime;
  info: SandboxRuntimeInfo;
  log(line: string): void;
  adopt(proc: SandboxProcess): void;
}

const CONNECT_TIMEOUT_MS = 15_000;
const HOST = /^[A-Za-z0-9.:_-]{1,253}$/;

export function forwardTcp(host: ForwardHost, req: TcpipRequestInfo, accept: AcceptConnection, reject: RejectConnection): void {
  if (!HOST.test(req.destIP) || !Number.isInteger(req.destPort) || req.destPort < 1 || req.destPort > 65535) return reject();
  void relay(host, req, accept, reject);
}

async function relay(host: ForwardHost, req: TcpipRequestInfo, accept: AcceptConnection, reject: RejectConnection): Promise<void> {
  let proc: SandboxProcess;
  try {
    proc = await host.runtime.spawn(host.info, relayArgv(req.destIP, req.destPort));
  } catch (err) {
    host.log(`ssh: forward to ${req.destIP}:${req.destPort} in sandbox ${host.info.id}: ${err instanceof Error ? err.message : String(err)}`);
    return reject();
  }
  host.adopt(proc);
  const { stdin, stdout, stderr } = proc;
  stdin?.on("error", () => undefined);
  let said = "";
  let settled = false;
  const fail = (why: string) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    host.log(`ssh: forward to ${req.destIP}:${req.destPort} in sandbox ${host.info.id} failed: ${why}`);
    proc.kill("SIGKILL");
    reject();
  };
  const timer = setTimeout(() => fail("timed out"), CONNECT_TIMEOUT_MS);
  void proc.exited.then((code) => fail(said.trim() || `relay exited with ${code}`));
  stderr?.on("data", (d: Buffer) => {
    if (settled) return;
    said += d.toString("utf8");
    if (!said.startsWith("OK\n")) return;
    settled = true;
    clearTimeout(timer);
    const channel = accept();
    if (stdin) channel.pipe(stdin);
    stdout?.pipe(channel);
    channel.on("close", () => proc.kill("SIGKILL"));
    channel.on("error", () => proc.kill("SIGKILL"));
  });
}
