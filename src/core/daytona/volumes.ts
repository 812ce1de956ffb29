// Volumes and resource metrics as the views use them: our own record types, validated from the wire.
export type VolumeState = "creating" | "ready" | "pending_create" | "pending_delete" | "deleting" | "deleted" | "error" | "unknown";

export interface VolumeRecord {
  id: string;
  name: string;
  state: VolumeState;
  createdAt?: string;
  lastUsedAt?: string;
  errorReason?: string;
}

/** A volume to mount into a new sandbox. */
export interface VolumeMountSpec {
  volumeId: string;
  mountPath: string;
}

const STATES: ReadonlySet<string> = new Set(["creating", "ready", "pending_create", "pending_delete", "deleting", "deleted", "error"]);
/** States that will change by themselves (the view re-checks while any volume is in one). */
export const BUSY_VOLUME_STATES: ReadonlySet<VolumeState> = new Set<VolumeState>(["creating", "pending_create", "pending_delete", "deleting"]);

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

export function toVolumeRecord(raw: unknown): VolumeRecord {
  if (!raw || typeof raw !== "object") throw new TypeError("volume: expected an object");
  const w = raw as Record<string, unknown>;
  const id = str(w.id);
  if (!id) throw new TypeError("volume: missing id");
  return {
    id,
    name: str(w.name) ?? id,
    state: typeof w.state === "string" && STATES.has(w.state) ? (w.state as VolumeState) : "unknown",
    createdAt: str(w.createdAt),
    lastUsedAt: str(w.lastUsedAt),
    errorReason: str(w.errorReason),
  };
}

/** Where a volume is mounted by default: under the sandbox user's home, named after the volume. */
export function defaultMountPath(volumeName: string, home = "/home/daytona"): string {
  return `${home}/volumes/${volumeName.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

/** Checks a mount path as Daytona would before anything is made; undefined when it is fine. */
export function mountPathProblem(p: string): string | undefined {
  if (!p.startsWith("/")) return "An absolute path, such as /home/daytona/data";
  if (p.split("/").includes("..")) return "No '..' in the path";
  if (/^\/+$/.test(p)) return "Not the root directory";
  return undefined;
}

/** One resource-usage sample (bytes, percent), as getMetricsLatest returns it. */
export interface SandboxMetrics {
  cpuCount: number;
  cpuUsedPct: number;
  memUsed: number;
  memTotal: number;
  diskUsed: number;
  diskTotal: number;
}

function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Markdown lines for the sandbox tooltip. */
export function metricsMarkdown(m: SandboxMetrics): string {
  const pct = (used: number, total: number): string => (total > 0 ? ` (${Math.round((100 * used) / total)}%)` : "");
  return [
    "**Usage**",
    "",
    `- CPU: ${m.cpuUsedPct.toFixed(1)}% of ${m.cpuCount} vCPU`,
    `- memory: ${bytes(m.memUsed)} of ${bytes(m.memTotal)}${pct(m.memUsed, m.memTotal)}`,
    `- disk: ${bytes(m.diskUsed)} of ${bytes(m.diskTotal)}${pct(m.diskUsed, m.diskTotal)}`,
  ].join("\n");
}
