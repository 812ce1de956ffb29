// Everything an API handler needs, built once by server.ts.
import type { SandboxRuntime, SandboxRuntimeInfo, Toolbox, VolumeStorage } from "../contract";
import type { Events } from "../events";
import type { Store } from "../store/store";
import type { SandboxRecord } from "../store/records";
import type { BuildLogs } from "../build/logs";

export interface ApiContext {
  store: Store;
  runtime: SandboxRuntime;
  toolbox: Toolbox;
  events: Events;
  buildLogs: BuildLogs;
  token: string;
  organizationId: string;
  /** http://127.0.0.1:<port> (known once listening). */
  origin(): string;
  /** How long transitional states (starting, stopping, ...) stay visible. */
  transitionMs: number;
  /** Where volume data lives. */
  volumes: VolumeStorage;
  /** The length of one "minute" of the auto-stop / auto-archive / auto-delete intervals (60000; tests shorten it). */
  minuteMs: number;
  /** Toolbox requests under way per sandbox: a sandbox in use is not idle (auto-stop waits). */
  inUse: Map<string, number>;
  log(line: string): void;
  /** Run work after the answer was sent; tracked so shutdown can wait for it. */
  background(name: string, work: () => Promise<void>): void;
}

export function runtimeInfo(rec: SandboxRecord): SandboxRuntimeInfo {
  const entrypoint = [...(rec.image?.entrypoint ?? []), ...(rec.image?.cmd ?? [])];
  return {
    id: rec.id,
    user: rec.user,
    env: { ...(rec.image?.env ?? {}), ...rec.env },
    networkBlockAll: rec.networkBlockAll,
    docker: rec.image?.dind === true,
    volumes: (rec.volumes ?? []).map((v) => ({ mountPath: v.mountPath, source: v.source })),
    ...(entrypoint.length ? { entrypoint } : {}),
    resources: { cpu: rec.cpu, memory: rec.memory, disk: rec.disk },
  };
}

export const DEFAULT_SNAPSHOT = "daytona-small";
export const LOCAL_TARGET = "local";
