import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseBytes } from "../../../../src/core/config";
import { runCases, y, type Case } from "./harness";

/** One service "app" (image a) with the given extra YAML, indented under it. */
const svc = (extra: string): Record<string, string> => ({
  "compose.yaml": `services:\n  app:\n    image: a\n${y(extra).split("\n").filter(Boolean).map((l) => `    ${l}`).join("\n")}\n`,
});
const res = (expect: { cpu: number; memory: number; gpu: number }) => (p: Parameters<NonNullable<Case["check"]>>[0]) => assert.deepEqual(p.sandbox.resources, expect);

describe("resources", () => {
  runCases("resources", [
    {
      name: "limits: cpus string rounded up, memory 2g",
      files: svc(`deploy: {resources: {limits: {cpus: "1.5", memory: 2g}}}`),
      check: res({ cpu: 2, memory: 2, gpu: 0 }),
    },
    {
      name: "a bare memory number is bytes (Compose), not MiB",
      files: svc(`deploy: {resources: {limits: {memory: 3221225472}}}`),
      check: res({ cpu: 1, memory: 3, gpu: 0 }),
    },
    {
      name: "a small bare number is a few bytes: at least 1 GiB",
      files: svc(`mem_limit: 512`),
      check: res({ cpu: 1, memory: 1, gpu: 0 }),
    },
    {
      name: "limits win over reservations",
      files: svc(`deploy: {resources: {limits: {cpus: 4, memory: 8g}, reservations: {cpus: 1, memory: 1g}}}`),
      check: res({ cpu: 4, memory: 8, gpu: 0 }),
    },
    {
      name: "reservations when there are no limits",
      files: svc(`deploy: {resources: {reservations: {cpus: "0.25", memory: 1536m}}}`),
      check: res({ cpu: 1, memory: 2, gpu: 0 }),
    },
    {
      name: "fallbacks cpus and mem_limit, 1.5gb rounds up to 2",
      files: svc(`cpus: 3\nmem_limit: 1.5gb`),
      check: res({ cpu: 3, memory: 2, gpu: 0 }),
    },
    { name: "mem_reservation is the last memory fallback", files: svc(`mem_reservation: 4096M`), check: res({ cpu: 1, memory: 4, gpu: 0 }) },
    { name: "no resources: Daytona's defaults (none sent)", files: svc(``), check: (p) => assert.equal(p.sandbox.resources, undefined) },
    {
      name: "bad values: memory text, negative cpus, unknown limit key",
      files: svc(`deploy: {resources: {limits: {memory: lots, cpus: -1, gpus: 1}}}\nmem_limit: [1]`),
      errors: ["compose.yaml:4:43 services.app.deploy.resources.limits.memory", "compose.yaml:4:55 services.app.deploy.resources.limits.cpus", "compose.yaml:4:59 services.app.deploy.resources.limits.gpus", "compose.yaml:5:16 services.app.mem_limit"],
    },
    {
      name: "gpu: count",
      files: svc(`deploy:\n  resources:\n    reservations:\n      devices: [{driver: nvidia, count: 2, capabilities: [gpu]}]`),
      check: res({ cpu: 1, memory: 1, gpu: 2 }),
    },
    {
      name: "gpu: number of device_ids",
      files: svc(`deploy:\n  resources:\n    reservations:\n      devices: [{capabilities: [gpu, utility], device_ids: ["0", "1", "3"]}]`),
      check: res({ cpu: 1, memory: 1, gpu: 3 }),
    },
    {
      name: "gpu: neither count nor device_ids means 1",
      files: svc(`deploy:\n  resources:\n    reservations:\n      devices: [{capabilities: [gpu]}]`),
      check: res({ cpu: 1, memory: 1, gpu: 1 }),
    },
    {
      name: "gpu: count all is 1 with a warning, never a crash",
      files: svc(`deploy:\n  resources:\n    reservations:\n      devices: [{capabilities: [gpu], count: all}]`),
      warnings: ["compose.yaml:7:50 services.app.deploy.resources.reservations.devices[0].count"],
      check: res({ cpu: 1, memory: 1, gpu: 1 }),
    },
    {
      name: "gpu: only devices with the gpu capability count",
      files: svc(`deploy:\n  resources:\n    reservations:\n      devices: [{capabilities: [tpu], count: 4}, {capabilities: [gpu], count: 1}]`),
      check: res({ cpu: 1, memory: 1, gpu: 1 }),
    },
    {
      name: "gpu errors: count with device_ids, missing capabilities, bad count",
      files: svc(`deploy:\n  resources:\n    reservations:\n      devices:\n        - {capabilities: [gpu], count: 1, device_ids: ["0"]}\n        - {count: 1}\n        - {capabilities: [gpu], count: many}`),
      errors: ["compose.yaml:8:47 services.app.deploy.resources.reservations.devices[0].device_ids", "compose.yaml:9:15 services.app.deploy.resources.reservations.devices[1].capabilities", "compose.yaml:10:44 services.app.deploy.resources.reservations.devices[2].count"],
    },
    { name: "the gpus service key: all", files: svc(`gpus: all`), warnings: ["compose.yaml:4:11 services.app.gpus"], check: res({ cpu: 1, memory: 1, gpu: 1 }) },
  ]);
});

test("parseBytes follows the Compose specification (binary units, bare numbers are bytes)", () => {
  const table: [unknown, number | undefined][] = [
    [1024, 1024], ["100b", 100], ["1k", 1024], ["1kb", 1024], ["1KiB", 1024], ["512m", 512 * 2 ** 20], ["2g", 2 * 2 ** 30],
    ["1.5gb", 1.5 * 2 ** 30], ["1 GB", 2 ** 30], ["1t", 2 ** 40], [" 7 ", 7], ["", undefined], ["g", undefined], ["-1g", undefined],
    ["5ib", undefined], ["1x", undefined], [-5, undefined], [Infinity, undefined], [true, undefined], [null, undefined],
  ];
  for (const [input, want] of table) assert.equal(parseBytes(input), want, `parseBytes(${JSON.stringify(input)})`);
});
