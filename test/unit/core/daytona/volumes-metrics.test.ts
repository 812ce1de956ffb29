// Volume records from the wire, mount-path checks, the tooltip's usage lines, and the hover cache.
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultMountPath, metricsMarkdown, mountPathProblem, toVolumeRecord } from "../../../../src/core/daytona/volumes";
import { MetricsCache } from "../../../../src/core/daytona/metricsCache";

test("toVolumeRecord validates and normalises", () => {
  assert.deepEqual(toVolumeRecord({ id: "v1", name: "data", state: "ready", createdAt: "2026-01-01T00:00:00Z", lastUsedAt: null, errorReason: null, organizationId: "o" }), {
    id: "v1",
    name: "data",
    state: "ready",
    createdAt: "2026-01-01T00:00:00Z",
    lastUsedAt: undefined,
    errorReason: undefined,
  });
  assert.equal(toVolumeRecord({ id: "v2", state: "melting" }).state, "unknown");
  assert.equal(toVolumeRecord({ id: "v2" }).name, "v2");
  assert.throws(() => toVolumeRecord({ name: "x" }), /missing id/);
  assert.throws(() => toVolumeRecord(null), /expected an object/);
});

test("mount paths", () => {
  assert.equal(defaultMountPath("data"), "/home/daytona/volumes/data");
  assert.equal(defaultMountPath("a b/c"), "/home/daytona/volumes/a_b_c");
  assert.equal(mountPathProblem("/data"), undefined);
  assert.match(String(mountPathProblem("data")), /absolute/);
  assert.match(String(mountPathProblem("/a/../b")), /\.\./);
  assert.match(String(mountPathProblem("/")), /root/);
});

test("metricsMarkdown", () => {
  const md = metricsMarkdown({ cpuCount: 2, cpuUsedPct: 12.345, memUsed: 512 * 1024 ** 2, memTotal: 4 * 1024 ** 3, diskUsed: 1536 * 1024 ** 2, diskTotal: 8 * 1024 ** 3 });
  assert.match(md, /CPU: 12\.3% of 2 vCPU/);
  assert.match(md, /memory: 512 MiB of 4\.0 GiB \(13%\)/);
  assert.match(md, /disk: 1\.5 GiB of 8\.0 GiB \(19%\)/);
  assert.match(metricsMarkdown({ cpuCount: 1, cpuUsedPct: 0, memUsed: 0, memTotal: 0, diskUsed: 10, diskTotal: 0 }), /disk: 10 B of 0 B$/);
});

test("MetricsCache: one request per sandbox within the TTL, failures not kept", async () => {
  let clock = 0;
  const calls: string[] = [];
  let fail = false;
  const cache = new MetricsCache(
    async (id) => {
      calls.push(id);
      if (fail) throw new Error("down");
      return { cpuCount: 1, cpuUsedPct: calls.length, memUsed: 0, memTotal: 0, diskUsed: 0, diskTotal: 0 };
    },
    1000,
    () => clock,
  );
  const [a, b] = await Promise.all([cache.get("s1"), cache.get("s1")]);
  assert.equal(a, b);
  assert.deepEqual(calls, ["s1"]);
  clock = 999;
  await cache.get("s1");
  assert.equal(calls.length, 1);
  clock = 1000;
  await cache.get("s1");
  assert.equal(calls.length, 2);
  fail = true;
  clock = 5000;
  await assert.rejects(cache.get("s2"), /down/);
  fail = false;
  await cache.get("s2");
  assert.deepEqual(calls, ["s1", "s1", "s2", "s2"]);
});
