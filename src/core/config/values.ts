// Typed reads of tree values. Each returns undefined after reporting when the type is wrong, so
// callers carry on and every problem in a file is reported in one pass.
import type { Reporter } from "./diagnostics";
import type { PEntry, PMap, PNode } from "./yamlTree";

export interface Ctx {
  file: string;
  report: Reporter;
}

export function describe(n: PNode): string {
  if (n.kind === "map") return "a mapping";
  if (n.kind === "seq") return "a list";
  if (n.value === null) return "empty";
  return typeof n.value === "string" ? `the string "${n.value.length > 40 ? n.value.slice(0, 37) + "..." : n.value}"` : `${typeof n.value} ${String(n.value)}`;
}

export function readString(ctx: Ctx, n: PNode, f: string, opts: { nonEmpty?: boolean; allowNumber?: boolean } = {}): string | undefined {
  if (n.kind === "scalar" && (typeof n.value === "string" || (opts.allowNumber && typeof n.value === "number"))) {
    const s = String(n.value);
    if (opts.nonEmpty && s.trim() === "") return void ctx.report.error(ctx.file, n.pos, f, "must not be empty");
    return s;
  }
  ctx.report.error(ctx.file, n.pos, f, `must be a string, not ${describe(n)}`);
  return undefined;
}

export function readBool(ctx: Ctx, n: PNode, f: string): boolean | undefined {
  if (n.kind === "scalar") {
    if (typeof n.value === "boolean") return n.value;
    // Compose casts interpolated text by the field's type.
    if (n.interpolated && typeof n.value === "string" && /^(true|false)$/i.test(n.value)) return n.value.toLowerCase() === "true";
  }
  ctx.report.error(ctx.file, n.pos, f, `must be true or false, not ${describe(n)}`);
  return undefined;
}

/** A finite number; numeric strings are accepted when `numericStrings` (Compose's cpus: "0.5") or after interpolation. */
export function readNumber(
  ctx: Ctx,
  n: PNode,
  f: string,
  opts: { integer?: boolean; min?: number; numericStrings?: boolean; unit?: string } = {},
): number | undefined {
  let v: number | undefined;
  if (n.kind === "scalar") {
    if (typeof n.value === "number") v = n.value;
    else if (typeof n.value === "string" && (opts.numericStrings || n.interpolated) && /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(n.value)) v = Number(n.value);
  }
  const what = `${opts.integer ? "a whole number" : "a number"}${opts.min !== undefined ? ` >= ${opts.min}` : ""}${opts.unit ? ` (${opts.unit})` : ""}`;
  if (v === undefined || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min)) {
    ctx.report.error(ctx.file, n.pos, f, `must be ${what}, not ${describe(n)}`);
    return undefined;
  }
  return v;
}

/** A mapping, or undefined after an error (null counts as an empty mapping, as in Compose). */
export function readMap(ctx: Ctx, n: PNode, f: string): PMap | undefined {
  if (n.kind === "map") return n;
  if (n.kind === "scalar" && n.value === null) return { kind: "map", entries: new Map(), pos: n.pos };
  ctx.report.error(ctx.file, n.pos, f, `must be a mapping, not ${describe(n)}`);
  return undefined;
}

/** A list of strings; a single string is accepted when `single`. */
export function readStringList(ctx: Ctx, n: PNode, f: string, opts: { single?: boolean } = {}): string[] | undefined {
  if (opts.single && n.kind === "scalar" && typeof n.value === "string") return [n.value];
  if (n.kind !== "seq") {
    ctx.report.error(ctx.file, n.pos, f, `must be a list of strings, not ${describe(n)}`);
    return undefined;
  }
  const out: string[] = [];
  n.items.forEach((item, i) => {
    const s = readString(ctx, item, `${f}[${i}]`);
    if (s !== undefined) out.push(s);
  });
  return out;
}

/** A mapping of string keys to scalar values, stringified (labels, env_vars). */
export function readStringMap(ctx: Ctx, n: PNode, f: string): Record<string, string> | undefined {
  const m = readMap(ctx, n, f);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const e of m.entries.values()) {
    if (e.value.kind !== "scalar" || e.value.value === null) {
      ctx.report.error(ctx.file, e.value.kind === "scalar" ? e.keyPos : e.value.pos, `${f}.${e.key}`, `must be a string, number or boolean, not ${describe(e.value)}`);
      continue;
    }
    setKey(out, e.key, String(e.value.value));
  }
  return out;
}

/** Own keys only: file text such as "constructor" or "__proto__" must never reach Object.prototype. */
export function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** Sets a key as an own data property, so "__proto__" from a file is kept like any other key. */
export function setKey(obj: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function get(m: PMap | undefined, key: string): PEntry | undefined {
  return m?.entries.get(key);
}
