import assert from "node:assert/strict";
import { test } from "node:test";
import { FORKED_FROM_LABEL, toSandboxRecord, toSnapshotRecord } from "../../../../src/core/daytona/records";

test("a full sandbox from the wire keeps its fields", () => {
  const r = toSandboxRecord({
    id: "abc", name: "n", state: "started", snapshot: "s", user: "daytona", cpu: 2, memory: 4, disk: 10, gpu: 0,
    labels: { a: "1", [FORKED_FROM_LABEL]: "parent-id" }, public: true, createdAt: "2026-01-01T00:00:00Z", autoStopInterval: 15,
  });
  assert.equal(r.parentId, "parent-id");
  assert.equal(r.cpu, 2);
  assert.equal(r.public, true);
  assert.equal(r.autoStopInterval, 15);
  assert.deepEqual(r.labels, { a: "1", [FORKED_FROM_LABEL]: "parent-id" });
});

test("missing or odd fields are normalised, never trusted", () => {
  const r = toSandboxRecord({ id: "x", state: "weird", cpu: "2", labels: { ok: "y", bad: 3 }, public: "yes" });
  assert.equal(r.name, "x", "name falls back to the id");
  assert.equal(r.state, "unknown");
  assert.equal(r.cpu, 0);
  assert.deepEqual(r.labels, { ok: "y" });
  assert.equal(r.public, false);
  assert.equal(r.autoStopInterval, undefined);
});

test("a sandbox without an id is rejected", () => {
  assert.throws(() => toSandboxRecord({ name: "n" }), /missing id/);
  assert.throws(() => toSandboxRecord(null), /expected an object/);
});

test("snapshots read mem as memory and default the state", () => {
  const s = toSnapshotRecord({ id: "s1", name: "snap", mem: 4, cpu: 2, disk: 8, general: true });
  assert.equal(s.memory, 4);
  assert.equal(s.state, "unknown");
  assert.equal(s.general, true);
  assert.throws(() => toSnapshotRecord({}), /missing id/);
});
