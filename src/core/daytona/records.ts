// Our own record types for what the Daytona API returns. Everything from the wire goes through
// toSandboxRecord / toSnapshotRecord, which validate and normalise, so the rest of the code never
// touches SDK objects or trusts optional fields.

export type SandboxState =
  | "creating"
  | "restoring"
  | "destroyed"
  | "destroying"
  | "started"
  | "stopped"
  | "starting"
  | "stopping"
  | "error"
  | "build_failed"
  | "pending_build"
  | "building_snapshot"
  | "unknown"
  | "pulling_snapshot"
  | "archived"
  | "archiving"
  | "snapshotting"
  | "resizing";

export interface SandboxRecord {
  id: string;
  name: string;
  state: SandboxState;
  snapshot?: string;
  user?: string;
  cpu: number;
  /** GiB */
  memory: number;
  /** GiB */
  disk: number;
  gpu: number;
  labels: Record<string, string>;
  public: boolean;
  target?: string;
  createdAt?: string;
  updatedAt?: string;
  lastActivityAt?: string;
  errorReason?: string;
  /** Minutes; 0 means never. */
  autoStopInterval?: number;
  autoArchiveInterval?: number;
  autoDeleteInterval?: number;
  /** The sandbox this one was forked from, when known. */
  parentId?: string;
}

export interface SnapshotRecord {
  id: string;
  name: string;
  state: string;
  imageName?: string;
  cpu: number;
  memory: number;
  disk: number;
  gpu: number;
  size?: number;
  general: boolean;
  createdAt?: string;
  errorReason?: string;
  sourceSandboxId?: string;
}

/** The label this extension puts on forks it makes, so forks show under their parent. */
export const FORKED_FROM_LABEL = "daytona.vscode/forked-from";

const STATES: ReadonlySet<string> = new Set<SandboxState>([
  "creating", "restoring", "destroyed", "destroying", "started", "stopped", "starting", "stopping", "error",
  "build_failed", "pending_build", "building_snapshot", "unknown", "pulling_snapshot", "archived", "archiving",
  "snapshotting", "resizing",
]);

/** States that are on their way to another: shown as in progress, and worth a quick re-check. */
export const TRANSITIONAL_STATES: ReadonlySet<SandboxState> = new Set<SandboxState>([
  "creating", "restoring", "destroying", "starting", "stopping", "pending_build", "building_snapshot",
  "pulling_snapshot", "archiving", "snapshotting", "resizing",
]);

type Wire = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
function num(v: unknown, fallback = 0): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}
function optNum(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}
function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === "object") for (const [k, val] of Object.entries(v)) if (typeof val === "string") out[k] = val;
  return out;
}

export function toSandboxRecord(raw: unknown): SandboxRecord {
  if (!raw || typeof raw !== "object") throw new TypeError("sandbox: expected an object");
  const w = raw as Wire;
  const id = str(w.id);
  if (!id) throw new TypeError("sandbox: missing id");
  const labels = labelsOf(w.labels);
  const state = typeof w.state === "string" && STATES.has(w.state) ? (w.state as SandboxState) : "unknown";
  return {
    id,
    name: str(w.name) ?? id,
    state,
    snapshot: str(w.snapshot),
    user: str(w.user),
    cpu: num(w.cpu),
    memory: num(w.memory),
    disk: num(w.disk),
    gpu: num(w.gpu),
    labels,
    public: w.public === true,
    target: str(w.target),
    createdAt: str(w.createdAt),
    updatedAt: str(w.updatedAt),
    lastActivityAt: str(w.lastActivityAt),
    errorReason: str(w.errorReason),
    autoStopInterval: optNum(w.autoStopInterval),
    autoArchiveInterval: optNum(w.autoArchiveInterval),
    autoDeleteInterval: optNum(w.autoDeleteInterval),
    parentId: labels[FORKED_FROM_LABEL],
  };
}

export function toSnapshotRecord(raw: unknown): SnapshotRecord {
  if (!raw || typeof raw !== "object") throw new TypeError("snapshot: expected an object");
  const w = raw as Wire;
  const id = str(w.id);
  if (!id) throw new TypeError("snapshot: missing id");
  return {
    id,
    name: str(w.name) ?? id,
    state: str(w.state) ?? "unknown",
    imageName: str(w.imageName),
    cpu: num(w.cpu),
    memory: num(w.mem ?? w.memory),
    disk: num(w.disk),
    gpu: num(w.gpu),
    size: optNum(w.size),
    general: w.general === true,
    createdAt: str(w.createdAt),
    errorReason: str(w.errorReason),
    sourceSandboxId: str(w.sourceSandboxId),
  };
}
