// Connections into a sandbox (preview URLs): to its address on the sandbox network, to a port a DinD
// sandbox's own service publishes, or relayed from inside (a server bound to the sandbox's loopback).
import * as net from "node:net";
import { Duplex } from "node:stream";
import type { SandboxRuntimeInfo } from "../contract";
import { sandboxContainers } from "../docker/services";
import type { Processes } from "./processes";
import type { RuntimeCore } from "./core";
import type { Lifecycle } from "./lifecycle";

/** Relays stdin/stdout to 127.0.0.1:<port> inside the sandbox (preview of a loopback-bound server). */
const RELAY_SOURCE = 'const s=require("net").connect(+process.argv[1],"127.0.0.1");process.stdin.pipe(s);s.pipe(process.stdout);s.on("error",(e)=>{process.stderr.write(String(e));process.exit(1)});s.on("close",()=>process.exit(0))';

export interface Connector {
  address(id: string): Promise<string | undefined>;
  connect(info: SandboxRuntimeInfo, port: number): Promise<Duplex>;
}

export function createConnector(core: RuntimeCore, lifecycle: Lifecycle, processes: Processes): Connector {
  async function address(id: string): Promise<string | undefined> {
    const st = await lifecycle.inspect(id);
    const nets = st?.NetworkSettings.Networks ?? {};
    for (const n of Object.values(nets)) if (n.IPAddress) return n.IPAddress;
    return undefined;
  }

  async function connect(info: SandboxRuntimeInfo, port: number): Promise<Duplex> {
    const attempt = (p: number, host: string) =>
      new Promise<net.Socket | undefined>((resolve) => {
        const s = net.connect(p, host);
        s.once("connect", () => resolve(s));
        s.once("error", () => resolve(undefined));
      });
    const host = await address(info.id);
    if (host) {
      const direct = await attempt(port, host);
      if (direct) return direct;
    }
    // A DinD sandbox's services publish their ports on the engine host's loopback (guardRules.ts):
    // the port is the sandbox's when one of its own containers publishes it (as with a docker
    // daemon inside the sandbox), never another sandbox's or the host's.
    if (info.docker) {
      const own = await sandboxContainers(core.docker, info.id).catch(() => []);
      const published = own.some((c) => c.State === "running" && c.Ports.some((p) => p.Type === "tcp" && p.PublicPort === port));
      const viaHost = published ? await attempt(port, "127.0.0.1") : undefined;
      if (viaHost) return viaHost;
    }
    const relay = await processes.spawn(info, ["node", "-e", RELAY_SOURCE, String(port)]);
    relay.stderr.resume();
    const d = Duplex.from({ writable: relay.stdin, readable: relay.stdout });
    d.on("close", () => relay.kill("SIGKILL"));
    return d;
  }

  return { address, connect };
}
