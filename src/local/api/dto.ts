// Records -> the JSON shapes Daytona documents (api.json: Sandbox, SnapshotDto).
import type { SandboxRecord, SnapshotRecord } from "../store/records";
import type { ApiContext } from "./context";

export function sandboxDto(ctx: ApiContext, rec: SandboxRecord): Record<string, unknown> {
  return {
    id: rec.id,
    organizationId: rec.organizationId,
    name: rec.name,
    snapshot: rec.snapshot,
    user: rec.user,
    env: rec.env,
    labels: rec.labels,
    public: rec.public,
    networkBlockAll: rec.networkBlockAll,
    networkAllowList: rec.networkAllowList,
    target: rec.target,
    cpu: rec.cpu,
    gpu: rec.gpu,
    memory: rec.memory,
    disk: rec.disk,
    state: rec.state,
    desiredState: desiredState(rec),
    errorReason: rec.errorReason,
    recoverable: false,
    backupState: "None",
    autoStopInterval: rec.autoStopInterval,
    autoArchiveInterval: rec.autoArchiveInterval,
    autoDeleteInterval: rec.autoDeleteInterval,
    volumes: (rec.volumes ?? []).map((v) => ({ volumeId: v.volumeId, mountPath: v.mountPath, ...(v.subpath ? { subpath: v.subpath } : {}) })),
    buildInfo: rec.buildInfo,
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
    lastActivityAt: rec.lastActivityAt,
    sandboxClass: "container",
    daemonVersion: "local",
    linkedSandboxId: undefined,
    toolboxProxyUrl: `${ctx.origin()}/toolbox`,
  };
}

function desiredState(rec: SandboxRecord): string {
  switch (rec.state) {
    case "stopping":
    case "stopped":
      return "stopped";
    case "archiving":
    case "archived":
      return "archived";
    case "destroying":
    case "destroyed":
      return "destroyed";
    default:
      return "started";
  }
}

export function snapshotDto(rec: SnapshotRecord): Record<string, unknown> {
  return {
    id: rec.id,
    organizationId: rec.organizationId,
    general: rec.general,
    name: rec.name,
    imageName: rec.imageName,
    state: rec.state,
    size: rec.size,
    entrypoint: rec.entrypoint,
    cpu: rec.cpu,
    gpu: rec.gpu,
    mem: rec.mem,
    disk: rec.disk,
    errorReason: rec.errorReason,
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
    lastUsedAt: rec.lastUsedAt,
    buildInfo: rec.buildInfo,
    regionIds: ["local"],
    sourceSandboxId: rec.sourceSandboxId,
    sandboxClass: "container",
  };
}
