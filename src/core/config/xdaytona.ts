// The top-level `x-daytona` block: Daytona settings a compose file carries, every key type-checked.
// Unknown keys are warnings (the file may target a newer tool) with a suggestion when one is close.
import { field } from "./diagnostics";
import type { Resources } from "./plan";
import { describe, own, readBool, readMap, readNumber, readString, readStringMap, type Ctx } from "./values";
import type { PNode } from "./yamlTree";

export interface XDaytona {
  autoStopInterval?: number;
  autoArchiveInterval?: number;
  autoDeleteInterval?: number;
  networkBlockAll?: boolean;
  networkAllowList?: string;
  language?: string;
  osUser?: string;
  public?: boolean;
  ephemeral?: boolean;
  timeout?: number;
  snapshot?: string;
  /** Only the keys given; they replace the computed values one by one. */
  resources?: Partial<Resources>;
  envVars?: Record<string, string>;
  labels?: Record<string, string>;
  /** Where each key was written, for later warnings ("network_block_all cannot apply"). */
  positions: Record<string, { line: number; column: number }>;
}

export const LANGUAGES = ["python", "typescript", "javascript"];
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

type Reader = (ctx: Ctx, n: PNode, f: string, x: XDaytona) => void;
const minutes = (key: "autoStopInterval" | "autoArchiveInterval" | "autoDeleteInterval", min: number): Reader =>
  (ctx, n, f, x) => void (x[key] = readNumber(ctx, n, f, { integer: true, min, unit: "minutes" }));
const bool = (key: "networkBlockAll" | "public" | "ephemeral"): Reader => (ctx, n, f, x) => void (x[key] = readBool(ctx, n, f));

const READERS: Record<string, Reader> = {
  auto_stop_interval: minutes("autoStopInterval", 0),
  auto_archive_interval: minutes("autoArchiveInterval", 0),
  auto_delete_interval: minutes("autoDeleteInterval", -1),
  network_block_all: bool("networkBlockAll"),
  public: bool("public"),
  ephemeral: bool("ephemeral"),
  network_allow_list: (ctx, n, f, x) => void (x.networkAllowList = readAllowList(ctx, n, f)),
  language: (ctx, n, f, x) => {
    const s = readString(ctx, n, f, { nonEmpty: true });
    if (s !== undefined && !LANGUAGES.includes(s)) ctx.report.error(ctx.file, n.pos, f, `must be one of ${LANGUAGES.join(", ")}, not "${s}"`);
    else x.language = s;
  },
  os_user: (ctx, n, f, x) => void (x.osUser = readString(ctx, n, f, { nonEmpty: true })),
  timeout: (ctx, n, f, x) => {
    const t = readNumber(ctx, n, f, { min: 0, unit: "seconds" });
    if (t === 0) ctx.report.error(ctx.file, n.pos, f, "must be more than 0 seconds");
    else x.timeout = t;
  },
  snapshot: (ctx, n, f, x) => void (x.snapshot = readString(ctx, n, f, { nonEmpty: true })),
  resources: (ctx, n, f, x) => void (x.resources = readResources(ctx, n, f)),
  env_vars: (ctx, n, f, x) => void (x.envVars = readStringMap(ctx, n, f)),
  labels: (ctx, n, f, x) => void (x.labels = readStringMap(ctx, n, f)),
};

export function readXDaytona(ctx: Ctx, node: PNode): XDaytona {
  const x: XDaytona = { positions: {} };
  const m = readMap(ctx, node, "x-daytona");
  if (!m) return x;
  for (const e of m.entries.values()) {
    const f = field("x-daytona", e.key);
    const read = own(READERS, e.key);
    if (!read) {
      const near = closest(e.key, Object.keys(READERS));
      ctx.report.warning(ctx.file, e.keyPos, f, `unknown x-daytona key "${e.key}" is ignored${near ? `; did you mean "${near}"?` : ""}`);
      continue;
    }
    x.positions[e.key] = e.keyPos;
    read(ctx, e.value, f, x);
  }
  if (x.ephemeral && x.autoDeleteInterval !== undefined && x.autoDeleteInterval !== 0) {
    ctx.report.error(ctx.file, x.positions.ephemeral, "x-daytona.ephemeral", "ephemeral means auto_delete_interval 0; remove one of them");
  }
  return x;
}

function readResources(ctx: Ctx, n: PNode, f: string): Partial<Resources> | undefined {
  const m = readMap(ctx, n, f);
  if (!m) return undefined;
  const r: Partial<Resources> = {};
  const units: Record<string, [keyof Resources, number, string]> = {
    cpu: ["cpu", 1, "CPUs"],
    memory: ["memory", 1, "GiB"],
    disk: ["disk", 1, "GiB"],
    gpu: ["gpu", 0, "GPUs"],
  };
  for (const e of m.entries.values()) {
    const u = own(units, e.key);
    if (!u) {
      ctx.report.error(ctx.file, e.keyPos, `${f}.${e.key}`, `unknown resource "${e.key}": use cpu, memory (GiB), disk (GiB) or gpu`);
      continue;
    }
    const v = readNumber(ctx, e.value, `${f}.${e.key}`, { integer: true, min: u[1], unit: u[2] });
    if (v !== undefined) r[u[0]] = v;
  }
  return r;
}

/** A comma-separated string or a list of IPv4 CIDRs -> the SDK's comma-separated string. */
function readAllowList(ctx: Ctx, n: PNode, f: string): string | undefined {
  let parts: { text: string; node: PNode }[];
  if (n.kind === "seq") parts = n.items.map((item) => ({ text: item.kind === "scalar" && typeof item.value === "string" ? item.value : "", node: item }));
  else if (n.kind === "scalar" && typeof n.value === "string") parts = n.value.split(",").map((text) => ({ text, node: n }));
  else {
    ctx.report.error(ctx.file, n.pos, f, `must be a comma-separated string or a list of CIDRs, not ${describe(n)}`);
    return undefined;
  }
  const cidrs: string[] = [];
  for (const p of parts) {
    const t = p.text.trim();
    const m = CIDR.exec(t);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
      ctx.report.error(ctx.file, p.node.pos, f, `"${t}" is not an IPv4 CIDR such as 10.0.0.0/8`);
      return undefined;
    }
    cidrs.push(t);
  }
  return cidrs.join(",");
}

/** The candidate within edit distance 2, or one the word starts (auto_stop -> auto_stop_interval), for "did you mean". */
export function closest(word: string, candidates: string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length >= 4) {
    const prefixed = candidates.find((c) => c.startsWith(w));
    if (prefixed) return prefixed;
  }
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

