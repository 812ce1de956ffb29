// Compose's merge rules for several files (overrides, COMPOSE_FILE), `extends` and `include`, on the
// positioned tree: mappings merge key by key, sequences append, and the exceptions of the Compose
// specification: command / entrypoint / healthcheck.test are replaced; ports, volumes, secrets and
// configs are unique by their key (a later entry replaces an earlier one); environment, labels,
// extra_hosts, sysctls, annotations, depends_on and networks merge by name in either form; a string
// `build` is its context. `!reset` removes a value, `!override` replaces it.
import { isAbsolute, relative, resolve } from "node:path";
import type { PEntry, PMap, PNode, PScalar, PSeq } from "./yamlTree";

const REPLACED = new Set(["command", "entrypoint"]);
/** Service keys that merge by name whether written as a list or a mapping. */
const BY_NAME = new Set(["environment", "labels", "extra_hosts", "sysctls", "annotations", "depends_on", "networks", "build_args"]);
const UNIQUE: Record<string, (n: PNode) => string | undefined> = {
  ports: portKey,
  volumes: (n) => targetOf(n, (s) => {
    const parts = s.split(":");
    return parts.length >= 2 ? parts[1] : parts[0];
  }),
  secrets: (n) => targetOf(n, (s) => s),
  configs: (n) => targetOf(n, (s) => s),
};

function targetOf(n: PNode, short: (s: string) => string): string | undefined {
  if (n.kind === "scalar" && typeof n.value === "string") return short(n.value);
  if (n.kind === "map") {
    const t = n.entries.get("target")?.value ?? n.entries.get("source")?.value;
    return t?.kind === "scalar" && t.value !== null ? String(t.value) : undefined;
  }
  return undefined;
}

function portKey(n: PNode): string | undefined {
  if (n.kind === "scalar" && n.value !== null) {
    const s = String(n.value);
    return s.includes("/") ? s : `${s}/tcp`;
  }
  if (n.kind === "map") {
    const v = (k: string) => {
      const e = n.entries.get(k)?.value;
      return e?.kind === "scalar" && e.value !== null ? String(e.value) : "";
    };
    return `${v("host_ip")}:${v("published")}:${v("target")}/${v("protocol") || "tcp"}`;
  }
  return undefined;
}

/** A list (`K=V`, or `name` for depends_on / networks) as the mapping it stands for. */
export function listAsMap(n: PSeq, key: string): PMap {
  const entries = new Map<string, PEntry>();
  for (const item of n.items) {
    if (item.kind !== "scalar" || item.value === null) continue;
    const text = String(item.value);
    const eq = key === "depends_on" || key === "networks" ? -1 : text.indexOf(key === "extra_hosts" ? (text.includes("=") ? "=" : ":") : "=");
    const name = eq < 0 ? text : text.slice(0, eq);
    const value: PNode = key === "depends_on"
      ? { kind: "map", entries: new Map([["condition", { key: "condition", keyPos: item.pos, value: scalar("service_started", item) }]]), pos: item.pos }
      : eq < 0 ? scalar(null, item) : scalar(text.slice(eq + 1), item);
    entries.set(name, { key: name, keyPos: item.pos, value });
  }
  return { kind: "map", entries, pos: n.pos };
}

const scalar = (value: string | null, at: PNode): PScalar => ({ kind: "scalar", value, pos: at.pos, interpolated: false });
const untag = <T extends PNode>(n: T): T => (n.tag ? { ...n, tag: undefined } : n);

/** Merges `over` onto `base` at `path` (["services", name, key, ...]); undefined when the result is removed. */
export function mergeNode(base: PNode | undefined, over: PNode, path: string[]): PNode | undefined {
  if (over.tag === "reset") return undefined;
  if (over.tag === "override" || base === undefined) return stripResets(untag(over));
  const key = path[path.length - 1];
  const inService = path[0] === "services" && path.length === 3;
  if (inService && key === "build") {
    base = base.kind === "scalar" && typeof base.value === "string" ? buildMap(base) : base;
    over = over.kind === "scalar" && typeof over.value === "string" ? buildMap(over) : over;
  }
  if (inService && BY_NAME.has(key)) {
    if (base.kind === "seq") base = listAsMap(base, key);
    if (over.kind === "seq") over = listAsMap(over, key);
  }
  if (base.kind === "map" && over.kind === "map") {
    const entries = new Map(base.entries);
    for (const [k, e] of over.entries) {
      const merged = mergeNode(entries.get(k)?.value, e.value, [...path, k]);
      if (merged === undefined) entries.delete(k);
      else entries.set(k, { key: k, keyPos: entries.get(k)?.keyPos ?? e.keyPos, value: merged });
    }
    return { kind: "map", entries, pos: base.pos };
  }
  if (base.kind === "seq" && over.kind === "seq") {
    if ((inService && REPLACED.has(key)) || (path[0] === "services" && path.length === 4 && path[2] === "healthcheck" && key === "test")) return over;
    const unique = inService ? UNIQUE[key] : undefined;
    const items = [...base.items];
    for (const item of over.items) {
      const k = unique?.(item);
      const at = k === undefined ? -1 : items.findIndex((x) => unique!(x) === k);
      if (at >= 0) items[at] = item;
      else if (item.kind === "scalar" && items.some((x) => x.kind === "scalar" && x.value === item.value)) continue; // a list of names: no duplicates
      else items.push(item);
    }
    return { kind: "seq", items, pos: base.pos };
  }
  return stripResets(over);
}

/** `!reset` in a file's own tree (no earlier value): the key is simply absent. */
function stripResets(n: PNode): PNode {
  if (n.kind !== "map") return n;
  let changed = false;
  const entries = new Map<string, PEntry>();
  for (const [k, e] of n.entries) {
    if (e.value.tag === "reset") {
      changed = true;
      continue;
    }
    const v = stripResets(e.value);
    changed ||= v !== e.value;
    entries.set(k, v === e.value ? e : { ...e, value: v });
  }
  return changed ? { ...n, entries } : n;
}

function buildMap(n: PScalar): PMap {
  return { kind: "map", entries: new Map([["context", { key: "context", keyPos: n.pos, value: n }]]), pos: n.pos };
}

const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;

/**
 * A service written in another folder (an included project, a file named by `extends`), with its
 * relative paths made relative to `toDir`, so the rest of the planner reads it like any other.
 */
export function rebaseService(svc: PNode, fromDir: string, toDir: string): PNode {
  if (svc.kind !== "map" || fromDir === toDir) return svc;
  const rel = (p: string, dot: boolean): string => {
    if (isAbsolute(p) || REMOTE.test(p) || p.startsWith("~")) return p;
    const r = relative(toDir, resolve(fromDir, p)) || ".";
    return dot && !r.startsWith(".") && !isAbsolute(r) ? `./${r}` : r;
  };
  const str = (n: PNode, dot = false): PNode => (n.kind === "scalar" && typeof n.value === "string" ? { ...n, value: rel(n.value, dot) } : n);
  const entries = new Map(svc.entries);
  const set = (k: string, value: PNode) => entries.set(k, { ...entries.get(k)!, value });
  const build = entries.get("build")?.value;
  if (build?.kind === "scalar") set("build", str(build));
  else if (build?.kind === "map") {
    const b = new Map(build.entries);
    const c = b.get("context");
    b.set("context", c ? { ...c, value: str(c.value) } : { key: "context", keyPos: build.pos, value: scalar(rel(".", false), build) });
    set("build", { ...build, entries: b });
  }
  const envFile = entries.get("env_file")?.value;
  const envPath = (n: PNode): PNode => {
    if (n.kind !== "map") return str(n);
    const p = n.entries.get("path");
    return p ? { ...n, entries: new Map(n.entries).set("path", { ...p, value: str(p.value) }) } : n;
  };
  if (envFile) set("env_file", envFile.kind === "seq" ? { ...envFile, items: envFile.items.map(envPath) } : envPath(envFile));
  const vols = entries.get("volumes")?.value;
  if (vols?.kind === "seq") {
    set("volumes", {
      ...vols,
      items: vols.items.map((v) => {
        if (v.kind === "scalar" && typeof v.value === "string" && /^\.\.?(\/|:|$)/.test(v.value)) {
          const i = v.value.indexOf(":");
          return i < 0 ? v : { ...v, value: rel(v.value.slice(0, i), true) + v.value.slice(i) };
        }
        const src = v.kind === "map" ? v.entries.get("source") : undefined;
        if (v.kind === "map" && src && src.value.kind === "scalar" && typeof src.value.value === "string" && /^\.\.?(\/|$)/.test(src.value.value)) {
          return { ...v, entries: new Map(v.entries).set("source", { ...src, value: str(src.value, true) }) };
        }
        return v;
      }),
    });
  }
  return { ...svc, entries };
}

/** A top-level secret or config of an included project: its `file` relative to `toDir`. */
export function rebaseFileResource(n: PNode, fromDir: string, toDir: string): PNode {
  const f = n.kind === "map" ? n.entries.get("file") : undefined;
  if (n.kind !== "map" || !f || f.value.kind !== "scalar" || typeof f.value.value !== "string" || isAbsolute(f.value.value)) return n;
  const value: PScalar = { ...f.value, value: relative(toDir, resolve(fromDir, f.value.value)) || "." };
  return { ...n, entries: new Map(n.entries).set("file", { ...f, value }) };
}
