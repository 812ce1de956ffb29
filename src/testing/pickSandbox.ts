// The sandbox a folder's tests run in, picked from records by the labels "Open in Daytona Sandbox"
// puts on it. Forks carry their parent's labels too (plus forked-from): they are never the folder's
// own sandbox. vscode-free.
import { FORKED_FROM_LABEL, type SandboxRecord } from "../core/daytona/records";

const UNUSABLE = new Set(["destroyed", "destroying", "error", "build_failed"]);

/** The newest usable sandbox that carries the selector's labels and is not a fork. */
export function pickSandbox(records: readonly SandboxRecord[], selector: Record<string, string>): SandboxRecord | undefined {
  if (Object.keys(selector).length < 3) return undefined;
  return records
    .filter((r) => !UNUSABLE.has(r.state) && r.labels[FORKED_FROM_LABEL] === undefined && Object.entries(selector).every(([k, v]) => r.labels[k] === v))
    .sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""))[0];
}
