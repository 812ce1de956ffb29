// A compose file read into a model: top-level keys, services, profiles, depends_on and the default
// service. Interpolation uses the given variables over the .env file next to the compose file.
import { basename, dirname, join } from "node:path";
import { field, START, type Pos, type Reporter } from "./diagnostics";
import { parseDotenv } from "./environment";
import { interpolate, type Lookup } from "./interpolate";
import { TOP_LEVEL_KEYS } from "./keys";
import type { FileAccess } from "./plan";
import { readService, type ServiceModel } from "./service";
import { readXDaytona, type XDaytona } from "./xdaytona";
import { readMap, readString, setKey, type Ctx } from "./values";
import { parseYamlTree, type PNode } from "./yamlTree";

export interface ComposeModel {
  file: string;
  dir: string;
  project: string;
  services: ServiceModel[];
  /** Services started by default (profiles), in file order. */
  active: ServiceModel[];
  defaultService?: ServiceModel;
  x: XDaytona;
  /** Variables the file used through interpolation, with their values. */
  used: Record<string, string>;
  servicesPos: Pos;
}

const MAX_BYTES = 4 * 1024 * 1024;

export async function readCompose(
  files: FileAccess,
  file: string,
  report: Reporter,
  env: Record<string, string>,
  profiles: string[] | undefined,
): Promise<ComposeModel | undefined> {
  const dir = dirname(file);
  let text: string;
  try {
    text = await files.readFile(file);
  } catch (e) {
    report.error(file, START, "", `cannot read the file: ${(e as Error).message}`);
    return undefined;
  }
  if (text.length > MAX_BYTES) {
    report.error(file, START, "", "the compose file is larger than 4 MiB");
    return undefined;
  }
  const dotenvPath = join(dir, ".env");
  let dotenv: Record<string, string> = {};
  if ((await files.stat(dotenvPath).catch(() => undefined)) === "file") {
    try {
      dotenv = parseDotenv(await files.readFile(dotenvPath), dotenvPath, report);
    } catch (e) {
      report.warning(dotenvPath, START, "", `cannot read .env: ${(e as Error).message}`);
    }
  }
  const used: Record<string, string> = {};
  const lookup: Lookup = (name) => {
    const v = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : Object.prototype.hasOwnProperty.call(dotenv, name) ? dotenv[name] : undefined;
    if (v !== undefined) setKey(used, name, v);
    return v;
  };
  const root = parseYamlTree(text, file, report, (s) => interpolate(s, lookup));
  if (!root) return undefined;
  const ctx: Ctx = { file, report };
  const top = readMap(ctx, root, "");
  if (!top) return undefined;

  let project = basename(dir);
  let x: XDaytona = { positions: {} };
  for (const e of top.entries.values()) {
    if (e.key === "x-daytona") x = readXDaytona(ctx, e.value);
    else if (e.key.startsWith("x-")) continue;
    else if (e.key === "version") report.warning(file, e.keyPos, "version", "version is obsolete in the Compose specification and is ignored");
    else if (e.key === "include") report.error(file, e.keyPos, "include", "include is not supported: put the services in this file");
    else if (e.key === "name") project = readString(ctx, e.value, "name", { nonEmpty: true }) ?? project;
    else if (!TOP_LEVEL_KEYS.has(e.key)) report.error(file, e.keyPos, field(e.key), `"${e.key}" is not a top-level Compose key`);
  }
  const servicesE = top.entries.get("services");
  if (!servicesE) {
    report.error(file, top.pos, "services", "no services: a compose file needs a services mapping");
    return undefined;
  }
  const svcMap = readMap(ctx, servicesE.value, "services");
  if (!svcMap) return undefined;
  const services: ServiceModel[] = [];
  for (const e of svcMap.entries.values()) {
    if (!/^[a-zA-Z0-9._-]+$/.test(e.key)) report.error(file, e.keyPos, field("services", e.key), `"${e.key}" is not a valid service name (letters, digits, . _ -)`);
    // A leading "-", "." or "_" passes Compose's pattern, but the docker CLI reads "-x" as an option
    // and core/dind refuses all three at bring-up: say so here, before anything is created.
    else if (/^[-._]/.test(e.key)) report.error(file, e.keyPos, field("services", e.key), `"${e.key}" must start with a letter or digit: the docker CLI would read a leading "-" as an option`);
    const s = readService(ctx, e.key, e.keyPos, e.value as PNode, dir, lookup);
    if (s) services.push(s);
  }
  const active = activeServices(ctx, services, profiles ?? splitProfiles(env.COMPOSE_PROFILES ?? dotenv.COMPOSE_PROFILES));
  checkDependencies(ctx, services, active);
  const model: ComposeModel = { file, dir, project: projectName(project), services, active, x, used, servicesPos: servicesE.keyPos };
  model.defaultService = chooseDefault(ctx, services, active);
  if (services.length > 0 && active.length === 0) report.error(file, servicesE.keyPos, "services", "no service is started: every service has a profile that is not active (set COMPOSE_PROFILES)");
  if (services.length === 0 && svcMap.entries.size === 0) report.error(file, servicesE.keyPos, "services", "no services defined");
  return model;
}

function splitProfiles(s: string | undefined): string[] {
  return (s ?? "").split(",").map((p) => p.trim()).filter(Boolean);
}

function activeServices(ctx: Ctx, services: ServiceModel[], profiles: string[]): ServiceModel[] {
  return services.filter((s) => {
    if (s.profiles.length === 0 || profiles.includes("*") || s.profiles.some((p) => profiles.includes(p))) return true;
    const at = s.map.entries.get("profiles")?.keyPos ?? s.keyPos;
    ctx.report.warning(ctx.file, at, field("services", s.name, "profiles"), `service ${s.name} is not started: its profiles (${s.profiles.join(", ")}) are not active`);
    return false;
  });
}

function checkDependencies(ctx: Ctx, services: ServiceModel[], active: ServiceModel[]): void {
  const byName = new Map(services.map((s) => [s.name, s]));
  const isActive = new Set(active.map((s) => s.name));
  for (const s of services) {
    for (const d of s.dependsOn) {
      const f = field("services", s.name, "depends_on", d.name);
      if (d.name === s.name) ctx.report.error(ctx.file, d.pos, f, `service ${s.name} depends on itself`);
      else if (!byName.has(d.name)) ctx.report.error(ctx.file, d.pos, f, `service ${s.name} depends on ${d.name}, which is not defined`);
      else if (isActive.has(s.name) && !isActive.has(d.name) && d.required) ctx.report.error(ctx.file, d.pos, f, `service ${s.name} depends on ${d.name}, which its profiles leave out`);
    }
  }
  // Cycles: depth-first search, reported once at the edge that closes the cycle.
  const state = new Map<string, 1 | 2>();
  const visit = (s: ServiceModel, stack: string[]): void => {
    state.set(s.name, 1);
    for (const d of s.dependsOn) {
      const t = byName.get(d.name);
      if (!t || t === s) continue;
      if (state.get(t.name) === 1) {
        const cycle = [...stack.slice(stack.indexOf(t.name)), s.name, t.name].join(" -> ");
        ctx.report.error(ctx.file, d.pos, field("services", s.name, "depends_on", d.name), `dependency cycle: ${cycle}`);
      } else if (!state.has(t.name)) visit(t, [...stack, s.name]);
    }
    state.set(s.name, 2);
  };
  for (const s of services) if (!state.has(s.name)) visit(s, []);
}

/** x-default: true, else a service named default, else main, else the first started service. */
function chooseDefault(ctx: Ctx, services: ServiceModel[], active: ServiceModel[]): ServiceModel | undefined {
  const marked = services.filter((s) => s.xDefault?.value);
  for (const s of marked.slice(1)) {
    ctx.report.error(ctx.file, s.xDefault!.pos, field("services", s.name, "x-default"), `more than one service has x-default: true (also ${marked[0].name})`);
  }
  const first = marked[0];
  if (first && !active.includes(first)) {
    ctx.report.warning(ctx.file, first.xDefault!.pos, field("services", first.name, "x-default"), `service ${first.name} is marked x-default but is not started (profiles)`);
  }
  return (first && active.includes(first) ? first : undefined) ?? active.find((s) => s.name === "default") ?? active.find((s) => s.name === "main") ?? active[0];
}

/** Compose project names: lowercase letters, digits, dashes and underscores, starting with a letter or digit. */
export function projectName(raw: string): string {
  const s = raw.toLowerCase().replace(/[^a-z0-9_-]/g, "").replace(/^[^a-z0-9]+/, "");
  return s || "project";
}
