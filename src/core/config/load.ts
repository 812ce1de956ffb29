// Loading a compose project as `docker compose` does before it reads any service: the .env file of
// the project folder (interpolated), which files (COMPOSE_FILE with COMPOSE_PATH_SEPARATOR, else the
// found file and its override file), each file parsed and interpolated, its `include`s and `extends`
// resolved, and the files merged in order. The result is one positioned tree; every node keeps the
// file and line it came from.
import { dirname, join, resolve } from "node:path";
import { field, START, type Pos, type Reporter } from "./diagnostics";
import { parseDotenv, unsetMessage } from "./environment";
import { interpolate, type Lookup } from "./interpolate";
import { mergeNode, rebaseFileResource, rebaseService } from "./merge";
import type { FileAccess } from "./plan";
import { describe, setKey } from "./values";
import { parseYamlTree, type PEntry, type PMap, type PNode } from "./yamlTree";

const MAX_BYTES = 4 * 1024 * 1024;
const OVERRIDE_NAMES = ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];
const MAX_INCLUDE_DEPTH = 10;

export interface LoadedProject {
  /** The project folder: relative paths in every file resolve against it. */
  dir: string;
  /** The compose files given to compose, in order. */
  files: string[];
  root: PMap;
  /** The project's variables: the given environment over the .env file, PWD the project folder. */
  vars: Record<string, string>;
  /** Variables the files used through interpolation, with their values. */
  used: Record<string, string>;
  /** Further files compose reads: included compose files and their .env / env_file, files `extends` names. */
  readFiles: { path: string; field: string }[];
}

export interface LoadInput {
  files: FileAccess;
  report: Reporter;
  env: Record<string, string>;
  /** The compose file found or chosen. */
  file: string;
  /** True when the file was chosen by name (`-f`): no override file and no COMPOSE_FILE then. */
  explicit: boolean;
}

const exists = async (f: FileAccess, p: string) => (await f.stat(p).catch(() => undefined)) === "file";

export async function loadProject(i: LoadInput): Promise<LoadedProject | undefined> {
  const { files, report } = i;
  const dir = dirname(i.file);
  const at = new Map<string, Pos>();
  const dotenv = await readDotenv(files, join(dir, ".env"), report, (n) => own(i.env, n), at);
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...dotenv, ...i.env })) setKey(vars, k, v);
  setKey(vars, "PWD", dir); // as Compose sees it: run from the project folder

  let paths = [i.file];
  if (!i.explicit) {
    const listed = own(vars, "COMPOSE_FILE");
    if (listed) {
      const sep = own(vars, "COMPOSE_PATH_SEPARATOR") || ":";
      paths = listed.split(sep).map((p) => p.trim()).filter(Boolean).map((p) => resolve(dir, p));
    } else {
      const override = await firstExisting(files, OVERRIDE_NAMES.map((n) => join(dir, n)));
      if (override) paths.push(override);
    }
  }
  const used: Record<string, string> = {};
  const lookup: Lookup = (name) => {
    const v = own(vars, name);
    if (v !== undefined && name !== "PWD") setKey(used, name, v);
    return v;
  };
  const l = new Loader(files, report);
  let root: PMap | undefined;
  for (const p of paths) {
    if (!(await exists(files, p))) {
      if (p === i.file) report.error(p, START, "", `compose file not found: ${p}`);
      else if (own(i.env, "COMPOSE_FILE") !== undefined) report.error(i.file, START, "COMPOSE_FILE", `COMPOSE_FILE (from the environment) names ${p}, which does not exist`);
      else report.error(join(dir, ".env"), at.get("COMPOSE_FILE") ?? START, "COMPOSE_FILE", `COMPOSE_FILE names ${p}, which does not exist`);
      return undefined;
    }
    const tree = await l.project([p], dir, lookup, vars, 0);
    if (!tree) return undefined;
    root = root ? (mergeNode(root, tree, []) as PMap) : tree;
  }
  if (!root) return undefined;
  return { dir, files: paths, root, vars, used, readFiles: l.readFiles };
}

async function firstExisting(files: FileAccess, paths: string[]): Promise<string | undefined> {
  for (const p of paths) if (await exists(files, p)) return p;
  return undefined;
}

async function readDotenv(files: FileAccess, path: string, report: Reporter, lookup: Lookup, at?: Map<string, Pos>): Promise<Record<string, string>> {
  if (!(await exists(files, path))) return {};
  try {
    return parseDotenv(await files.readFile(path), path, report, lookup, at);
  } catch (e) {
    report.warning(path, START, "", `cannot read .env: ${(e as Error).message}`);
    return {};
  }
}

function own(m: Record<string, string>, k: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(m, k) ? m[k] : undefined;
}

class Loader {
  /** Parsed files by path and variables, for `extends` naming the same file more than once. */
  private readonly cache = new Map<string, PMap | undefined>();
  readonly readFiles: { path: string; field: string }[] = [];

  constructor(
    private readonly files: FileAccess,
    private readonly report: Reporter,
  ) {}

  /** One file read, interpolated and parsed; undefined after an error. */
  async parse(path: string, lookup: Lookup, key: string): Promise<PMap | undefined> {
    const k = `${key}\0${path}`;
    if (this.cache.has(k)) return this.cache.get(k);
    let text: string | undefined;
    try {
      text = await this.files.readFile(path);
    } catch (e) {
      this.report.error(path, START, "", `cannot read the file: ${(e as Error).message}`);
    }
    if (text !== undefined && text.length > MAX_BYTES) {
      this.report.error(path, START, "", "the compose file is larger than 4 MiB");
      text = undefined;
    }
    const interp = (s: string, pos: Pos, p: (string | number)[]) => interpolate(s, lookup, (name) => this.report.warning(path, pos, field(...p), unsetMessage(name)));
    const tree = text === undefined ? undefined : parseYamlTree(text, path, this.report, interp);
    let map: PMap | undefined;
    if (tree?.kind === "map") map = tree;
    else if (tree) this.report.error(path, tree.pos, "", `must be a mapping, not ${describe(tree)}`);
    this.cache.set(k, map);
    return map;
  }

  /**
   * The files of one project (the main one, or one `include` brings in) merged, each with its
   * includes and extends resolved, paths relative to `dir`.
   */
  async project(paths: string[], dir: string, lookup: Lookup, vars: Record<string, string>, depth: number): Promise<PMap | undefined> {
    let root: PMap | undefined;
    for (const p of paths) {
      const tree = await this.parse(p, lookup, depth === 0 ? "" : JSON.stringify(vars));
      if (!tree) return undefined;
      let t = await this.resolveExtends(tree, p, dir, lookup, vars);
      t = await this.includes(t, p, dir, vars, depth);
      root = root ? (mergeNode(root, t, []) as PMap) : t;
    }
    return root;
  }

  private async includes(tree: PMap, file: string, dir: string, vars: Record<string, string>, depth: number): Promise<PMap> {
    const inc = tree.entries.get("include");
    if (!inc) return tree;
    const entries = new Map(tree.entries);
    entries.delete("include");
    const out: PMap = { ...tree, entries };
    if (inc.value.kind !== "seq") {
      this.report.error(file, inc.value.pos, "include", "include must be a list of files or of {path, project_directory, env_file}");
      return out;
    }
    if (depth >= MAX_INCLUDE_DEPTH) {
      this.report.error(file, inc.keyPos, "include", `include is nested more than ${MAX_INCLUDE_DEPTH} levels deep (or includes itself)`);
      return out;
    }
    for (const [idx, item] of inc.value.items.entries()) {
      const f = field("include", idx);
      const spec = readInclude(item, f, file, this.report);
      if (!spec) continue;
      const paths = spec.paths.map((p) => resolve(dirname(file), p));
      const missing = [];
      for (const p of paths) if (!(await exists(this.files, p))) missing.push(p);
      if (missing.length) {
        this.report.error(file, item.pos, f, `included file not found: ${missing.join(", ")}`);
        continue;
      }
      const incDir = spec.projectDirectory ? resolve(dirname(file), spec.projectDirectory) : dirname(paths[0]);
      const envFiles = spec.envFiles ? spec.envFiles.map((e) => resolve(dirname(file), e)) : [join(incDir, ".env")];
      for (const p of [...paths, ...envFiles]) this.readFiles.push({ path: p, field: f });
      const incVars: Record<string, string> = { ...vars };
      for (const e of envFiles) {
        const parsed = await readDotenv(this.files, e, this.report, (n) => own(incVars, n));
        for (const [k, v] of Object.entries(parsed)) setKey(incVars, k, v);
      }
      setKey(incVars, "PWD", incDir);
      const sub = await this.project(paths, incDir, (n) => own(incVars, n), incVars, depth + 1);
      if (!sub) continue;
      for (const section of ["services", "volumes", "networks", "secrets", "configs"]) {
        const s = sub.entries.get(section)?.value;
        if (s?.kind !== "map") continue;
        const have = out.entries.get(section);
        const target: PMap = have?.value.kind === "map" ? { ...have.value, entries: new Map(have.value.entries) } : { kind: "map", entries: new Map(), pos: item.pos };
        for (const [name, e] of s.entries) {
          const mine = target.entries.get(name);
          if (mine) {
            if (section === "services") this.report.error(file, mine.keyPos, field(section, name), `${section}.${name} conflicts with the one ${paths.join(", ")} defines (include)`);
            continue;
          }
          const value = section === "services" ? rebaseService(e.value, incDir, dir) : section === "secrets" || section === "configs" ? rebaseFileResource(e.value, incDir, dir) : e.value;
          target.entries.set(name, { ...e, value });
        }
        out.entries.set(section, { key: section, keyPos: have?.keyPos ?? item.pos, value: target });
      }
    }
    return out;
  }

  /** Every service's `extends` (same file or another), recursively; cycles and unknown bases are errors. */
  private async resolveExtends(tree: PMap, file: string, dir: string, lookup: Lookup, vars: Record<string, string>): Promise<PMap> {
    const servicesE = tree.entries.get("services");
    if (servicesE?.value.kind !== "map" || ![...servicesE.value.entries.values()].some((e) => e.value.kind === "map" && e.value.entries.has("extends"))) return tree;
    const done = new Map<string, PNode | undefined>();
    const resolveIn = async (services: PMap, svcFile: string, name: string, stack: { id: string; pos: Pos; field: string; file: string }[]): Promise<PNode | undefined> => {
      const id = `${svcFile}#${name}`;
      if (done.has(id)) return done.get(id);
      const e = services.entries.get(name)!;
      const ext = e.value.kind === "map" ? e.value.entries.get("extends") : undefined;
      if (!ext) return e.value;
      const f = field("services", name, "extends");
      let baseName: string | undefined;
      let baseFile = svcFile;
      if (ext.value.kind === "scalar" && typeof ext.value.value === "string") baseName = ext.value.value;
      else if (ext.value.kind === "map") {
        const s = ext.value.entries.get("service")?.value;
        const fl = ext.value.entries.get("file")?.value;
        if (s?.kind === "scalar" && typeof s.value === "string") baseName = s.value;
        if (fl?.kind === "scalar" && typeof fl.value === "string") baseFile = resolve(dirname(svcFile), fl.value);
        else if (fl) this.report.error(svcFile, fl.pos, `${f}.file`, "must be a file name");
      }
      if (!baseName) {
        this.report.error(svcFile, ext.value.pos, f, "extends needs a service name (extends: name, or {service: name, file: path})");
        done.set(id, undefined);
        return undefined;
      }
      const cycleAt = stack.findIndex((s) => s.id === `${baseFile}#${baseName}`);
      if (cycleAt >= 0) {
        const first = stack[cycleAt];
        this.report.error(first.file, first.pos, first.field, `extends cycle: ${[...stack.slice(cycleAt).map((s) => s.id.slice(s.id.lastIndexOf("#") + 1)), name, baseName].join(" -> ")}`);
        return undefined;
      }
      let baseServices = services;
      if (baseFile !== svcFile) {
        if (!(await exists(this.files, baseFile))) {
          this.report.error(svcFile, ext.value.pos, `${f}.file`, `file not found: ${baseFile}`);
          done.set(id, undefined);
          return undefined;
        }
        this.readFiles.push({ path: baseFile, field: `${f}.file` });
        const other = await this.parse(baseFile, lookup, JSON.stringify(vars));
        const s = other?.entries.get("services")?.value;
        baseServices = s?.kind === "map" ? s : { kind: "map", entries: new Map(), pos: START };
      }
      if (!baseServices.entries.has(baseName)) {
        this.report.error(svcFile, ext.value.pos, f, `cannot extend service ${baseName}: it is not defined${baseFile !== svcFile ? ` in ${baseFile}` : ""}`);
        done.set(id, undefined);
        return undefined;
      }
      const base = await resolveIn(baseServices, baseFile, baseName, [...stack, { id, pos: ext.value.pos, field: f, file: svcFile }]);
      if (!base || base.kind !== "map" || e.value.kind !== "map") {
        done.set(id, undefined);
        return undefined;
      }
      const rebased = baseFile === svcFile ? base : rebaseService(base, dirname(baseFile), dir);
      const own: PMap = { ...e.value, entries: new Map([...e.value.entries].filter(([k]) => k !== "extends")) };
      const merged = mergeNode(rebased, own, ["services", name]);
      done.set(id, merged);
      return merged;
    };
    const services = servicesE.value;
    const out = new Map<string, PEntry>();
    for (const [name, e] of services.entries) {
      // A failed extends was reported; the service is left out so nothing follows from it.
      const v = await resolveIn(services, file, name, []);
      if (v) out.set(name, { ...e, value: v });
    }
    return { ...tree, entries: new Map(tree.entries).set("services", { ...servicesE, value: { ...services, entries: out } }) };
  }
}

interface IncludeSpec {
  paths: string[];
  projectDirectory?: string;
  envFiles?: string[];
}

function readInclude(item: PNode, f: string, file: string, report: Reporter): IncludeSpec | undefined {
  const strs = (n: PNode | undefined, at: string): string[] | undefined => {
    if (!n) return undefined;
    if (n.kind === "scalar" && typeof n.value === "string" && n.value) return [n.value];
    if (n.kind === "seq" && n.items.every((x) => x.kind === "scalar" && typeof x.value === "string")) return n.items.map((x) => String((x as { value: string }).value));
    report.error(file, n.pos, at, "must be a file name or a list of file names");
    return undefined;
  };
  if (item.kind === "scalar") {
    const p = strs(item, f);
    return p && { paths: p };
  }
  if (item.kind !== "map") {
    report.error(file, item.pos, f, "must be a file name or {path, project_directory, env_file}");
    return undefined;
  }
  for (const k of item.entries.keys()) if (!["path", "project_directory", "env_file"].includes(k)) report.error(file, item.entries.get(k)!.keyPos, `${f}.${k}`, `"${k}" is not an include key (path, project_directory, env_file)`);
  const paths = strs(item.entries.get("path")?.value, `${f}.path`);
  if (!paths) {
    if (!item.entries.has("path")) report.error(file, item.pos, `${f}.path`, "an include entry needs a path");
    return undefined;
  }
  const pd = item.entries.get("project_directory")?.value;
  const projectDirectory = pd?.kind === "scalar" && typeof pd.value === "string" ? pd.value : undefined;
  return { paths, projectDirectory, envFiles: strs(item.entries.get("env_file")?.value, `${f}.env_file`) };
}
