// What the runtime's parts share: the engine connection, this server's instance, the helpers that keep
// containers alive (watchdog) and ready (pool), and what create/start were told about each sandbox.
import type Docker from "dockerode";
import { ToolboxError, type SandboxRuntimeInfo } from "../contract";
import { containerName } from "./containers";
import type { Dind } from "./dind";
import type { WarmPool } from "./pool";
import type { Watchdog } from "./watchdog";

export interface RuntimeCore {
  docker: Docker;
  /** The instance label's value (derived from the data dir). */
  instance: string;
  /** The data dir, symlinks resolved. */
  dataDir: string;
  hostCpus: number;
  log: (line: string) => void;
  watchdog: Watchdog;
  pool: WarmPool;
  dind: Dind;
  /** What create/start were told about each sandbox (the agent runs as its user). */
  infos: Map<string, SandboxRuntimeInfo>;
}

/** The name of a sandbox's container. */
export function nameOf(core: RuntimeCore, id: string): string {
  return containerName(core.instance, id);
}

export const USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/;

export function checkInfo(info: SandboxRuntimeInfo): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(info.id)) throw new ToolboxError(400, "BAD_REQUEST", `invalid sandbox id: ${JSON.stringify(info.id)}`);
  if (!USER_RE.test(info.user)) throw new ToolboxError(400, "BAD_REQUEST", `invalid sandbox user name: ${JSON.stringify(info.user)}`);
}

/** The statusCode of an engine error (404 not found, 409 conflict, 304 not modified). */
export function engineStatus(e: unknown): number | undefined {
  return (e as { statusCode?: number } | undefined)?.statusCode;
}
