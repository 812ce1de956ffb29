// A compose file read into a model: top-level keys, services, profiles, depends_on and the default
// service. Interpolation uses the given variables over the .env file next to the compose file.
import { basename } from "node:path";
import { field, type Pos, type Reporter } from "./diagnostics";
import type { Lookup } from "./interpolate";
import { loadProject } from "./load";
import { TOP_LEVEL_KEYS } from "./keys";
import type { FileAccess } from "./plan";
import { readService, type ServiceModel } from "./service";
import { readXDaytona, type XDaytona } from "./xdaytona";
import { readMap, readString, type Ctx } from "./values";
import type { PMap, PNode } from "./yamlTree";

export interface ComposeModel {
  file: string;
  /** Every compose file, in the order compose is given them (`file` first unless COMPOSE_FILE says otherwise). */
  files: string[];
  /** Included compose files and their env files, files named by extends: compose reads them too. */
  readFiles: { path: string; field: string }[];
  /** The merged top level (secrets, configs, ... are read from it by the plan). */
  top: PMap;
  dir: string;
  project: string;
  services: ServiceModel[];
  /** Services started by default (profiles), in file order. */
  active: ServiceModel[];
  defaultService?: ServiceModel;
  x: XDaytona;
  /** Variables the file used through interpolation, with their values. */
  used: Record<string, string>;
  /** The project's variables (environment over .env), for env_file interpolation. */
  vars: Record<string, string>;
  servicesPos: Pos;
}

export async function readCompose(
  files: FileAccess,
  found: { file: string; explicit: boolean },
  report: Reporter,
  env: Record<string, string>,
  profiles: string[] | undefined,
): Promise<ComposeModel | undefined> {
  const file = found.file;
  const loaded = await loadProject({ files, report, env, file, explicit: found.explicit });
  if (!loaded) return undefined;
  const { dir, root, vars, used } = loaded;
  const lookup: Lookup = (name) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined);
  const ctx: Ctx = { file, report };
  const top = root;

  let project = basename(dir);
  let x: XDaytona = { positions: {} };
  for (const e of top.entries.values()) {
    if (e.key === "x-daytona") x = readXDaytona(ctx, e.value);
    else if (e.key.startsWith("x-")) continue;
    else if (e.key === "version") report.warning(file, e.keyPos, "version", "version is obsolete in the Compose specification and is ignored");
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
  const active = activeServices(ctx, services, profiles ?? splitProfiles(lookup("COMPOSE_PROFILES")));
  const envProject = lookup("COMPOSE_PROJECT_NAME");
  if (envProject) project = envProject;
  checkDependencies(ctx, services, active);
  checkSecretsAndConfigs(ctx, top, active);
  const model: ComposeModel = { file, files: loaded.files, dir, project: projectName(project), services, active, x, used, vars, readFiles: loaded.readFiles, servicesPos: servicesE.keyPos, top };
  model.defaultService = chooseDefault(ctx, services, active);
  if (services.length > 0 && active.length === 0) report.error(file, servicesE.keyPos, "services", "no service is started: every service has a profile that is not active (set COMPOSE_PROFILES)");
  if (services.length === 0 && svcMap.entries.size === 0 && !report.hasErrors) report.error(file, servicesE.keyPos, "services", "no services defined");
  return model;
}

/** As Compose: a started service may only use secrets and configs defined at the top level, and a secret needs a source. */
function checkSecretsAndConfigs(ctx: Ctx, top: PMap, active: ServiceModel[]): void {
  for (const section of ["secrets", "configs"] as const) {
    const defs = top.entries.get(section)?.value;
    const names = defs?.kind === "map" ? defs.entries : new Map();
    for (const s of active) {
      const at = s.map.entries.get(section);
      for (const name of s[section]) {
        if (!names.has(name)) ctx.report.error(ctx.file, at?.keyPos ?? s.keyPos, field("services", s.name, section), `service ${s.name} refers to undefined ${section.slice(0, -1)} ${name}`);
      }
    }
    if (section !== "secrets" || defs?.kind !== "map") continue;
    for (const e of defs.entries.values()) {
      const d = e.value;
      const has = (k: string) => d.kind === "map" && d.entries.has(k);
      if (d.kind === "map" && !has("file") && !has("environment") && !has("external")) {
        ctx.report.error(ctx.file, e.keyPos, field("secrets", e.key), `secret ${e.key} must declare either file or environment`);
      }
    }
  }
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
