// Compose resources -> Daytona units. Order: deploy.resources.limits, then reservations, then the
// service-level fallbacks (cpus; mem_limit, mem_reservation). cpu = max(1, ceil(cpus)); memory in whole
// GiB rounded up, at least 1. Memory follows the Compose specification: a bare number is BYTES and
// units are binary (k = 1024). GPUs: the first device reservation whose capabilities include "gpu"
// (then the service's `gpus`): its count, else the number of device_ids, else 1; `count: all` means 1.
import { field } from "./diagnostics";
import type { Resources } from "./plan";
import { describe, get, readMap, readNumber, readStringList, type Ctx } from "./values";
import type { PMap, PNode } from "./yamlTree";

export const DEFAULT_RESOURCES: Resources = { cpu: 1, memory: 1, gpu: 0 };
const GIB = 1024 ** 3;
const UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: GIB, t: 1024 ** 4, p: 1024 ** 5 };
const BYTES = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgtp]?)(i?)(b?)\s*$/i;

/** Bytes from a Compose byte value: a number (bytes) or "512m", "2g", "1.5gb", "1024KiB", "100b". */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = BYTES.exec(value);
  if (!m) return undefined;
  const unit = m[2].toLowerCase();
  if (m[3] && !unit) return undefined; // "5ib" is not a unit
  return Number(m[1]) * UNITS[unit];
}

export const bytesToGiB = (bytes: number): number => Math.max(1, Math.ceil(bytes / GIB));
export const cpusToCpu = (cpus: number): number => Math.max(1, Math.ceil(cpus));

export interface ServiceResources {
  resources: Resources;
  /** Whether the service says anything about resources (a single sandbox otherwise gets Daytona's defaults). */
  declared: boolean;
  /** What it declares before rounding (CPUs, bytes, GPUs), for summing in Docker-in-Docker. */
  raw: { cpus?: number; bytes?: number; gpu?: number };
}

export function readServiceResources(ctx: Ctx, svc: PMap, path: string[]): ServiceResources {
  const deployE = get(svc, "deploy");
  const deploy = deployE && readMap(ctx, deployE.value, field(...path, "deploy"));
  const resE = get(deploy, "resources");
  const rp = [...path, "deploy", "resources"];
  const res = resE && readMap(ctx, resE.value, field(...rp));
  const limE = get(res, "limits");
  const limits = limE && readMap(ctx, limE.value, field(...rp, "limits"));
  const resvE = get(res, "reservations");
  const reservations = resvE && readMap(ctx, resvE.value, field(...rp, "reservations"));

  const known = (m: PMap | undefined, keys: string[], p: string[]) => {
    for (const e of m?.entries.values() ?? []) if (!keys.includes(e.key) && !e.key.startsWith("x-")) ctx.report.error(ctx.file, e.keyPos, field(...p, e.key), `"${e.key}" is not a Compose resource key (${keys.join(", ")})`);
  };
  known(res, ["limits", "reservations"], rp);
  known(limits, ["cpus", "memory", "pids"], [...rp, "limits"]);
  known(reservations, ["cpus", "memory", "devices", "generic_resources"], [...rp, "reservations"]);
  const cpuOf = (m: PMap | undefined, key: string, p: string[]) => {
    const e = get(m, key);
    return e && readNumber(ctx, e.value, field(...p, key), { min: 0, numericStrings: true, unit: "CPUs" });
  };
  const memOf = (m: PMap | undefined, key: string, p: string[]) => {
    const e = get(m, key);
    if (!e) return undefined;
    const n = e.value;
    const bytes = n.kind === "scalar" ? parseBytes(n.value) : undefined;
    if (bytes === undefined) ctx.report.error(ctx.file, n.pos, field(...p, key), `must be a byte value such as 536870912, "512m" or "2g", not ${describe(n)}`);
    return bytes;
  };
  // Read every form, so a bad value is reported even when another one wins.
  const cpus = [cpuOf(limits, "cpus", [...rp, "limits"]), cpuOf(reservations, "cpus", [...rp, "reservations"]), cpuOf(svc, "cpus", path)];
  const mems = [
    memOf(limits, "memory", [...rp, "limits"]),
    memOf(reservations, "memory", [...rp, "reservations"]),
    memOf(svc, "mem_limit", path),
    memOf(svc, "mem_reservation", path),
  ];
  const devE = get(reservations, "devices");
  let gpu = devE ? gpuFromDevices(ctx, devE.value, [...rp, "reservations", "devices"], true) : undefined;
  const gpusE = get(svc, "gpus");
  const gpu2 = gpusE ? gpuFromGpus(ctx, gpusE.value, [...path, "gpus"]) : undefined;
  gpu ??= gpu2;
  // Compose refuses a service-level value that disagrees with deploy.resources (its loader's
  // validation): whenever the limits / reservations mapping is there, an unset key counts as 0.
  const distinct = (a: number | undefined, inMap: PMap | undefined, b: number | undefined, key: string, other: string) => {
    const e = get(svc, key);
    if (e && a !== undefined && a !== 0 && inMap && (b ?? 0) !== a) ctx.report.error(ctx.file, e.value.pos, field(...path, key), `can't set distinct values on '${key}' and '${other}'`);
  };
  distinct(cpus[2], limits, cpus[0], "cpus", "deploy.resources.limits.cpus");
  distinct(mems[2], limits, mems[0], "mem_limit", "deploy.resources.limits.memory");
  distinct(mems[3], reservations, mems[1], "mem_reservation", "deploy.resources.reservations.memory");
  const pidsOf = (m: PMap | undefined, key: string, p: string[]) => {
    const e = get(m, key);
    return e && readNumber(ctx, e.value, field(...p, key), { integer: true, min: -1, unit: "processes" });
  };
  distinct(pidsOf(svc, "pids_limit", path), limits, pidsOf(limits, "pids", [...rp, "limits"]), "pids_limit", "deploy.resources.limits.pids");
  const cpu = cpus.find((v) => v !== undefined);
  const mem = mems.find((v) => v !== undefined);
  return {
    resources: {
      cpu: cpu === undefined ? DEFAULT_RESOURCES.cpu : cpusToCpu(cpu),
      memory: mem === undefined ? DEFAULT_RESOURCES.memory : bytesToGiB(mem),
      gpu: gpu ?? 0,
    },
    declared: cpu !== undefined || mem !== undefined || gpu !== undefined,
    raw: { cpus: cpu, bytes: mem, gpu },
  };
}

/** Compose's `gpus:` service key: "all" or a list shaped like device requests (capabilities optional). */
function gpuFromGpus(ctx: Ctx, n: PNode, path: string[]): number | undefined {
  if (n.kind === "scalar" && typeof n.value === "string" && n.value.toLowerCase() === "all") return allGpus(ctx, n, field(...path));
  return gpuFromDevices(ctx, n, path, false);
}

function gpuFromDevices(ctx: Ctx, n: PNode, path: string[], needCapabilities: boolean): number | undefined {
  if (n.kind !== "seq") {
    ctx.report.error(ctx.file, n.pos, field(...path), `must be a list of device requests, not ${describe(n)}`);
    return undefined;
  }
  let found: number | undefined;
  n.items.forEach((item, i) => {
    const p = [...path, i];
    const dev = readMap(ctx, item, field(...p));
    if (!dev) return;
    const capsE = get(dev, "capabilities");
    const caps = capsE ? readStringList(ctx, capsE.value, field(...p, "capabilities")) : undefined;
    if (!capsE && needCapabilities) ctx.report.error(ctx.file, dev.pos, field(...p, "capabilities"), "a device request needs capabilities, e.g. [gpu]");
    const countE = get(dev, "count");
    const idsE = get(dev, "device_ids");
    if (countE && idsE) ctx.report.error(ctx.file, idsE.keyPos, field(...p, "device_ids"), "count and device_ids cannot both be set (Compose specification)");
    const ids = idsE ? readStringList(ctx, idsE.value, field(...p, "device_ids")) : undefined;
    let count: number | undefined;
    if (countE) {
      const c = countE.value;
      if (c.kind === "scalar" && (c.value === -1 || (typeof c.value === "string" && c.value.toLowerCase() === "all"))) count = allGpus(ctx, c, field(...p, "count"));
      else count = readNumber(ctx, c, field(...p, "count"), { integer: true, min: 0, unit: 'or "all"' });
    }
    const isGpu = caps ? caps.includes("gpu") : !needCapabilities;
    if (found === undefined && isGpu) found = count ?? ids?.length ?? 1;
  });
  return found;
}

function allGpus(ctx: Ctx, n: PNode, f: string): number {
  ctx.report.warning(ctx.file, n.pos, f, 'GPU count "all" means every GPU of a host; a Daytona sandbox gets 1. Set x-daytona.resources.gpu to ask for more');
  return 1;
}
