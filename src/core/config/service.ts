// One compose service read into plain data; every value type-checked and positioned.
import { isAbsolute, join, resolve } from "node:path";
import { field, type Pos } from "./diagnostics";
import { readEnvironment } from "./environment";
import type { Lookup } from "./interpolate";
import { BUILD_KEYS, COMPOSE_SERVICE_KEYS, DEPLOY_KEYS, ERROR_KEYS } from "./keys";
import type { PortMapping } from "./plan";
import { readServiceResources, type ServiceResources } from "./resources";
import { closest } from "./xdaytona";
import { describe, get, own, readBool, readMap, readString, readStringList, type Ctx } from "./values";
import type { PMap, PNode } from "./yamlTree";

export interface BuildModel {
  context: string;
  dockerfile: string;
  /** A git or http context: compose fetches it; nothing to check or upload here. */
  remote: boolean;
  inline: boolean;
  pos: Pos;
  field: string;
  target?: { value: string; pos: Pos };
  args?: { value: Record<string, string>; pos: Pos };
}

export interface DependsOn {
  name: string;
  required: boolean;
  pos: Pos;
}

export interface ServiceModel {
  name: string;
  keyPos: Pos;
  map: PMap;
  image?: string;
  build?: BuildModel;
  environment: Record<string, string>;
  /** env_file paths (absolute) with where they were named; read by the caller. */
  envFiles: { path: string; required: boolean; pos: Pos; field: string }[];
  user?: string;
  workingDir?: string;
  networkMode?: { value: string; pos: Pos };
  resources: ServiceResources;
  ports: PortMapping[];
  dependsOn: DependsOn[];
  xDefault?: { value: boolean; pos: Pos };
  profiles: string[];
  runtime?: { value: string; pos: Pos };
  platform?: { value: string; pos: Pos };
  /** Top-level secrets and configs the service uses, by name. */
  secrets: string[];
  configs: string[];
}

const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;

export function readService(ctx: Ctx, name: string, keyPos: Pos, node: PNode, dir: string, lookup: Lookup): ServiceModel | undefined {
  const p = ["services", name];
  const svc = readMap(ctx, node, field(...p));
  if (!svc) return undefined;
  const m: ServiceModel = { name, keyPos, map: svc, environment: {}, envFiles: [], resources: readServiceResources(ctx, svc, p), ports: [], dependsOn: [], profiles: [], secrets: [], configs: [] };
  for (const e of svc.entries.values()) {
    const f = field(...p, e.key);
    const v = e.value;
    const fatal = own(ERROR_KEYS, e.key);
    if (fatal) ctx.report.error(ctx.file, e.keyPos, f, fatal);
    else if (e.key === "x-default") {
      const b = readBool(ctx, v, f);
      if (b !== undefined) m.xDefault = { value: b, pos: e.keyPos };
    } else if (e.key === "x-daytona") ctx.report.warning(ctx.file, e.keyPos, f, "x-daytona is read at the top level of the file only");
    else if (e.key.startsWith("x-")) continue;
    else if (!COMPOSE_SERVICE_KEYS.has(e.key)) {
      const near = closest(e.key, [...COMPOSE_SERVICE_KEYS]);
      ctx.report.error(ctx.file, e.keyPos, f, `"${e.key}" is not a Compose service key${near ? `; did you mean "${near}"?` : ""}`);
    } else if (e.key === "image") m.image = readString(ctx, v, f, { nonEmpty: true });
    else if (e.key === "build") m.build = readBuild(ctx, v, f, dir, lookup);
    else if (e.key === "environment") m.environment = readEnvironment(v, ctx.file, [...p, "environment"], ctx.report, lookup);
    else if (e.key === "env_file") m.envFiles = readEnvFiles(ctx, v, f, dir);
    else if (e.key === "user") m.user = readString(ctx, v, f, { nonEmpty: true, allowNumber: true });
    else if (e.key === "working_dir") m.workingDir = readString(ctx, v, f, { nonEmpty: true });
    else if (e.key === "network_mode") {
      const s = readString(ctx, v, f, { nonEmpty: true });
      if (s !== undefined) m.networkMode = { value: s, pos: v.pos };
    } else if (e.key === "ports") m.ports = readPorts(ctx, v, f);
    else if (e.key === "depends_on") m.dependsOn = readDependsOn(ctx, v, f);
    else if (e.key === "deploy" && v.kind === "map") {
      for (const d of v.entries.values()) if (!DEPLOY_KEYS.has(d.key) && !d.key.startsWith("x-")) ctx.report.error(ctx.file, d.keyPos, `${f}.${d.key}`, `"${d.key}" is not a Compose deploy key`);
    } else if (e.key === "profiles") m.profiles = readStringList(ctx, v, f) ?? [];
    else if (e.key === "runtime" || e.key === "platform") {
      const str = readString(ctx, v, f, { nonEmpty: true });
      if (str !== undefined) m[e.key] = { value: str, pos: v.pos };
    } else if (e.key === "secrets" || e.key === "configs") m[e.key] = readResourceRefs(ctx, v, f);
  }
  return m;
}

/** A service's `secrets:` / `configs:`: names, or {source, target, ...}. */
function readResourceRefs(ctx: Ctx, n: PNode, f: string): string[] {
  if (n.kind !== "seq") {
    ctx.report.error(ctx.file, n.pos, f, `must be a list, not ${describe(n)}`);
    return [];
  }
  const out: string[] = [];
  n.items.forEach((item, i) => {
    const src = item.kind === "map" ? get(item, "source")?.value : item;
    const s = src && readString(ctx, src, item.kind === "map" ? `${f}[${i}].source` : `${f}[${i}]`, { nonEmpty: true });
    if (s !== undefined) out.push(s);
  });
  return out;
}

function readBuildArgs(ctx: Ctx, n: PNode, f: string, lookup: Lookup): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: string | undefined) => {
    const val = v ?? lookup(k); // a bare name takes the value from the environment, as in Compose
    if (val !== undefined) Object.defineProperty(out, k, { value: val, enumerable: true, writable: true, configurable: true });
  };
  if (n.kind === "seq") {
    n.items.forEach((item, i) => {
      const s = readString(ctx, item, `${f}[${i}]`, { allowNumber: true });
      if (s === undefined) return;
      const eq = s.indexOf("=");
      put(eq < 0 ? s : s.slice(0, eq), eq < 0 ? undefined : s.slice(eq + 1));
    });
  } else if (n.kind === "map") {
    for (const e of n.entries.values()) {
      if (e.value.kind !== "scalar") ctx.report.error(ctx.file, e.value.pos, `${f}.${e.key}`, `must be a string, not ${describe(e.value)}`);
      else put(e.key, e.value.value === null ? undefined : String(e.value.value));
    }
  } else ctx.report.error(ctx.file, n.pos, f, `must be a list of NAME=VALUE or a mapping, not ${describe(n)}`);
  return out;
}

function readBuild(ctx: Ctx, n: PNode, f: string, dir: string, lookup: Lookup): BuildModel | undefined {
  if (n.kind === "scalar" && typeof n.value === "string") {
    const remote = REMOTE.test(n.value);
    const context = remote ? n.value : resolve(dir, n.value);
    return { context, dockerfile: remote ? "Dockerfile" : join(context, "Dockerfile"), remote, inline: false, pos: n.pos, field: f };
  }
  const b = readMap(ctx, n, f);
  if (!b) return undefined;
  for (const e of b.entries.values()) {
    if (!BUILD_KEYS.has(e.key) && !e.key.startsWith("x-")) ctx.report.error(ctx.file, e.keyPos, `${f}.${e.key}`, `"${e.key}" is not a Compose build key`);
  }
  const ctxE = get(b, "context");
  const raw = ctxE ? readString(ctx, ctxE.value, `${f}.context`, { nonEmpty: true }) : ".";
  if (raw === undefined) return undefined;
  const remote = REMOTE.test(raw);
  const context = remote ? raw : resolve(dir, raw);
  const dfE = get(b, "dockerfile");
  const inlineE = get(b, "dockerfile_inline");
  if (dfE && inlineE) ctx.report.error(ctx.file, inlineE.keyPos, `${f}.dockerfile_inline`, "dockerfile and dockerfile_inline cannot both be set");
  if (inlineE) readString(ctx, inlineE.value, `${f}.dockerfile_inline`, { nonEmpty: true });
  const df = dfE ? readString(ctx, dfE.value, `${f}.dockerfile`, { nonEmpty: true }) : "Dockerfile";
  if (df === undefined) return undefined;
  const dockerfile = remote ? df : isAbsolute(df) ? df : join(context, df);
  const at = dfE ?? ctxE;
  const model: BuildModel = { context, dockerfile, remote, inline: !!inlineE, pos: at ? at.value.pos : n.pos, field: dfE ? `${f}.dockerfile` : ctxE ? `${f}.context` : f };
  const targetE = get(b, "target");
  const target = targetE && readString(ctx, targetE.value, `${f}.target`, { nonEmpty: true });
  if (targetE && target !== undefined) model.target = { value: target, pos: targetE.keyPos };
  const argsE = get(b, "args");
  if (argsE) model.args = { value: readBuildArgs(ctx, argsE.value, `${f}.args`, lookup), pos: argsE.keyPos };
  return model;
}

function readEnvFiles(ctx: Ctx, n: PNode, f: string, dir: string): ServiceModel["envFiles"] {
  const items = n.kind === "seq" ? n.items : [n];
  const out: ServiceModel["envFiles"] = [];
  items.forEach((item, i) => {
    const fi = n.kind === "seq" ? `${f}[${i}]` : f;
    if (item.kind === "map") {
      const pathE = get(item, "path");
      if (!pathE) return ctx.report.error(ctx.file, item.pos, `${fi}.path`, "an env_file entry needs a path");
      const path = readString(ctx, pathE.value, `${fi}.path`, { nonEmpty: true });
      const reqE = get(item, "required");
      const required = reqE ? readBool(ctx, reqE.value, `${fi}.required`) : true;
      if (path !== undefined) out.push({ path: resolve(dir, path), required: required ?? true, pos: pathE.value.pos, field: `${fi}.path` });
      return;
    }
    const path = readString(ctx, item, fi, { nonEmpty: true });
    if (path !== undefined) out.push({ path: resolve(dir, path), required: true, pos: item.pos, field: fi });
  });
  return out;
}

// [host_ip:][published:]target[/protocol]; the host IP may be empty (":8080:80"), as in Compose.
const PORT = /^(?:(?:(\[[0-9a-f:.]+\]|[0-9.]*):)?(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)(?:\/(tcp|udp|sctp))?$/i;

function readPorts(ctx: Ctx, n: PNode, f: string): PortMapping[] {
  if (n.kind !== "seq") {
    ctx.report.error(ctx.file, n.pos, f, `must be a list of ports, not ${describe(n)}`);
    return [];
  }
  const out: PortMapping[] = [];
  n.items.forEach((item, i) => {
    const fi = `${f}[${i}]`;
    if (item.kind === "map") {
      const t = get(item, "target");
      if (!t) return ctx.report.error(ctx.file, item.pos, `${fi}.target`, "a port mapping needs a target");
      const target = readString(ctx, t.value, `${fi}.target`, { allowNumber: true });
      const pub = get(item, "published");
      const published = pub ? readString(ctx, pub.value, `${fi}.published`, { allowNumber: true }) : undefined;
      const proto = get(item, "protocol");
      const protocol = proto ? readString(ctx, proto.value, `${fi}.protocol`) : "tcp";
      const hostE = get(item, "host_ip");
      const hostIp = hostE ? readString(ctx, hostE.value, `${fi}.host_ip`) : undefined;
      if (target !== undefined) out.push(clean({ target, published, hostIp, protocol: protocol ?? "tcp" }));
      return;
    }
    const text = item.kind === "scalar" && item.value !== null && typeof item.value !== "boolean" ? String(item.value) : undefined;
    const m = text === undefined ? null : PORT.exec(text);
    if (!m) return ctx.report.error(ctx.file, item.pos, fi, `not a port mapping such as "8080:80" or "80/udp": ${describe(item)}`);
    out.push(clean({ target: m[3], published: m[2], hostIp: m[1]?.replace(/^\[(.*)\]$/, "$1"), protocol: (m[4] ?? "tcp").toLowerCase() }));
  });
  return out;
}

function clean(p: PortMapping): PortMapping {
  const out: PortMapping = { target: p.target, protocol: p.protocol };
  if (p.published !== undefined) out.published = p.published;
  if (p.hostIp !== undefined) out.hostIp = p.hostIp;
  return out;
}

const CONDITIONS = ["service_started", "service_healthy", "service_completed_successfully"];

function readDependsOn(ctx: Ctx, n: PNode, f: string): DependsOn[] {
  if (n.kind === "seq") {
    const out: DependsOn[] = [];
    n.items.forEach((item, i) => {
      const s = readString(ctx, item, `${f}[${i}]`, { nonEmpty: true });
      if (s !== undefined) out.push({ name: s, required: true, pos: item.pos });
    });
    return out;
  }
  const m = readMap(ctx, n, f);
  if (!m) return [];
  const out: DependsOn[] = [];
  for (const e of m.entries.values()) {
    const d = readMap(ctx, e.value, `${f}.${e.key}`);
    const condE = get(d, "condition");
    const cond = condE && readString(ctx, condE.value, `${f}.${e.key}.condition`);
    if (condE && cond !== undefined && !CONDITIONS.includes(cond)) ctx.report.error(ctx.file, condE.value.pos, `${f}.${e.key}.condition`, `must be one of ${CONDITIONS.join(", ")}`);
    const reqE = get(d, "required");
    const required = reqE ? readBool(ctx, reqE.value, `${f}.${e.key}.required`) : true;
    out.push({ name: e.key, required: required ?? true, pos: e.keyPos });
  }
  return out;
}
