import type { SandboxRecord, SnapshotRecord } from "../../../src/core/daytona/records";

let n = 0;
/** A sandbox record with sensible defaults; override what the test is about. */
export function sandbox(overrides: Partial<SandboxRecord> = {}): SandboxRecord {
  n++;
  return {
    id: `sbx-${String(n).padStart(4, "0")}`,
    name: `sandbox-${n}`,
    state: "started",
    snapshot: "daytonaio/sandbox:0.4.3",
    cpu: 1,
    memory: 1,
    disk: 3,
    gpu: 0,
    labels: {},
    public: false,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    ...overrides,
  };
}

export function snapshot(overrides: Partial<SnapshotRecord> = {}): SnapshotRecord {
  n++;
  return { id: `snap-${n}`, name: `snapshot-${n}`, state: "active", cpu: 1, memory: 1, disk: 3, gpu: 0, general: false, ...overrides };
}
