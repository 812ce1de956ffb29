// Shared by the security suite: a local server with the real SDK and commands run inside a sandbox.
//
// Every attack here is made the way a hostile process inside a sandbox would make it: through the SDK
// and commands in the sandbox (sh, python3), never through the host's layout, so the tests need no
// change when the runtime does. Sandboxes run as uid 1000 (daytona) in their own containers; every
// test is enforced (the TODO switch of the host-root runtime is gone with that runtime).
import type { TestContext } from "node:test";
import type { Sandbox } from "@daytonaio/sdk";
import { startTestServer, type TestServer } from "../local/helpers";

export { sleep } from "../local/helpers";

export interface Lab {
  ts: TestServer;
}

export async function startLab(t: TestContext): Promise<Lab> {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  return { ts };
}

/** Run a shell command in the sandbox; never throws for a non-zero exit. */
export async function sh(sb: Sandbox, command: string, timeoutSec = 60): Promise<{ exitCode: number; out: string }> {
  const r = await sb.process.executeCommand(`sh -c ${quote(command)}`, undefined, undefined, timeoutSec);
  return { exitCode: r.exitCode, out: r.result };
}

/** Run a python3 program in the sandbox (passed as base64, so no quoting matters). */
export async function py(sb: Sandbox, program: string, args: string[] = [], timeoutSec = 60): Promise<{ exitCode: number; out: string }> {
  const b64 = Buffer.from(program).toString("base64");
  return sh(sb, `echo ${b64} | base64 -d > /tmp/.attack.py && python3 /tmp/.attack.py ${args.map(quote).join(" ")}`, timeoutSec);
}

export function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function marker(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
