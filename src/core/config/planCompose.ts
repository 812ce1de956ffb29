// Compose model -> CreatePlan: one started service becomes one sandbox; two or more run as
// Docker-in-Docker in one sandbox whose resources are the services' sums plus the daemon's share.
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { field, type Reporter } from "./diagnostics";
import { checkDockerfile } from "./dockerfile";
import { parseDotenv } from "./environment";
import { BUILD_KEYS, COMPOSE_SERVICE_KEYS, DEPLOY_KEYS, ERROR_KEYS, HONOURED_SINGLE, singleModeReason } from "./keys";
import { dindResources } from "./dindSize";
import { DIND_IMAGE, type CreatePlan, type FileAccess, type RequiredFile, type Resources, type SandboxSpec, type ServicePlan } from "./plan";
import { DEFAULT_RESOURCES } from "./resources";
import type { ComposeModel } from "./compose";
import type { ServiceModel } from "./service";
import { own } from "./values";
import type { XDaytona } from "./xdaytona";
import type { PEntry, PNode } from "./yamlTree";

const entriesOf = (n: PNode | undefined): Iterable<PEntry> => (n?.kind === "map" ? n.entries.values() : []);

export interface ComposeContext {
  files: FileAccess;
  report: Reporter;
  labels: Record<string, string>;
  snapshotPrefix: string;
}

export async function planCompose(c: ComposeContext, m: ComposeModel, folder: string): Promise<CreatePlan | undefined> {
  const { report } = c;
  for (const s of m.active) s.environment = { ...(await readEnvFiles(c, m, s)), ...s.environment };
  if (m.active.length === 0 || !m.defaultService) return undefined;
  if (m.active.length === 1) {
    const s = m.active[0];
    const b = s.build;
    const stage = b && !m.x.snapshot && (b.target || (b.args && Object.keys(b.args.value).length > 0));
    if (!stage) return planSingle(c, m, s, folder);
    // Daytona's image builder takes a Dockerfile and its context only: building it would build the last
    // stage without the arguments, something else than the file says. Compose in DinD builds it right.
    const at = b.target ?? b.args!;
    report.warning(m.file, at.pos, field("services", s.name, "build", b.target ? "target" : "args"), `build.target and build.args are honoured by building service ${s.name} with compose in a Docker-in-Docker sandbox: Daytona's image builder would build the Dockerfile's last stage without build arguments`);
  }
  for (const s of m.active) {
    if (!s.image && !s.build) report.error(m.file, s.keyPos, field("services", s.name), `service ${s.name} has neither build nor image`);
    if (s.build && !s.build.remote && !s.build.inline) await checkDockerfile(c.files, s.build.dockerfile, report, { file: m.file, pos: s.build.pos, field: s.build.field });
    warnOutsideFolder(c, m, s);
    refuseImpossible(c, m, s);
  }
  const resources: Resources = dindResources(m, report);
  const shape = `${resources.cpu}cpu-${resources.memory}gb-${resources.gpu}gpu${resources.disk !== undefined ? `-${resources.disk}disk` : ""}`;
  const dindSnapshot = m.x.snapshot ? { name: m.x.snapshot, resources } : { name: `${c.snapshotPrefix}-dind-${shape}`, image: DIND_IMAGE, resources };
  const sandbox = baseSpec(c, m.x);
  sandbox.snapshot = dindSnapshot.name;
  if (m.x.osUser !== undefined) sandbox.user = m.x.osUser;
  if (m.x.networkBlockAll) {
    report.warning(m.file, m.x.positions.network_block_all, "x-daytona.network_block_all", "network_block_all cannot apply to a Docker-in-Docker sandbox (the daemon pulls images); it is ignored");
    delete sandbox.networkBlockAll;
  }
  const contexts = new Set<string>();
  for (const s of m.active) if (s.build && !s.build.remote && !isInside(s.build.context, m.dir)) contexts.add(s.build.context);
  for (const f of m.files) if (!isInside(f, m.dir)) contexts.add(dirname(f)); // COMPOSE_FILE may name files elsewhere
  return {
    kind: "compose-dind",
    folder,
    file: m.file,
    composeFiles: m.files,
    requiredFiles: await requiredFiles(c, m),
    project: m.project,
    services: m.active.map(servicePlan),
    defaultService: m.defaultService.name,
    buildContexts: [...contexts].sort(),
    composeEnv: m.used,
    inactiveServices: m.services.filter((s) => !m.active.includes(s)).map((s) => s.name),
    dindSnapshot,
    sandbox,
    warnings: [],
  };
}

async function planSingle(c: ComposeContext, m: ComposeModel, s: ServiceModel, folder: string): Promise<CreatePlan | undefined> {
  const { report } = c;
  const x = m.x;
  for (const e of s.map.entries.values()) {
    if (HONOURED_SINGLE.has(e.key) || e.key.startsWith("x-") || !COMPOSE_SERVICE_KEYS.has(e.key) || own(ERROR_KEYS, e.key)) continue; // errors already
    report.warning(m.file, e.keyPos, field("services", s.name, e.key), `${e.key} is not applied: ${singleModeReason(e.key)}`);
  }
  for (const e of entriesOf(s.map.entries.get("deploy")?.value)) {
    if (e.key !== "resources" && DEPLOY_KEYS.has(e.key)) report.warning(m.file, e.keyPos, field("services", s.name, "deploy", e.key), `deploy.${e.key} is not applied to a single sandbox`);
  }
  const sandbox = baseSpec(c, x);
  if (x.snapshot !== undefined) {
    sandbox.snapshot = x.snapshot;
    if (s.image || s.build || s.resources.declared) {
      report.warning(m.file, x.positions.snapshot, "x-daytona.snapshot", `the snapshot is used; service ${s.name}'s image, build and resources are not`);
    }
  } else {
    if (s.build) {
      if (s.build.remote) report.error(m.file, s.build.pos, s.build.field, "a remote build context cannot be built into a sandbox; use image, or a local folder");
      else if (s.build.inline) report.error(m.file, s.build.pos, s.build.field, "dockerfile_inline is not supported for a single sandbox; write the Dockerfile to a file");
      else if (await checkDockerfile(c.files, s.build.dockerfile, report, { file: m.file, pos: s.build.pos, field: s.build.field })) {
        sandbox.image = { kind: "dockerfile", dockerfile: s.build.dockerfile, context: s.build.context };
      }
      for (const e of entriesOf(s.map.entries.get("build")?.value)) {
        if (!["context", "dockerfile", "dockerfile_inline"].includes(e.key) && BUILD_KEYS.has(e.key)) {
          report.warning(m.file, e.keyPos, field("services", s.name, "build", e.key), `build.${e.key} is not applied: Daytona builds the Dockerfile with its context only`);
        }
      }
    } else if (s.image) sandbox.image = { kind: "name", name: s.image };
    else report.error(m.file, s.keyPos, field("services", s.name), `service ${s.name} has neither build nor image`);
    if (s.resources.declared || x.resources) sandbox.resources = { ...(s.resources.declared ? s.resources.resources : DEFAULT_RESOURCES), ...x.resources };
  }
  const user = x.osUser ?? s.user;
  if (user !== undefined) sandbox.user = user;
  sandbox.envVars = { ...s.environment, ...x.envVars };
  if (x.networkBlockAll === undefined && s.networkMode) {
    sandbox.networkBlockAll = s.networkMode.value === "none";
    if (/^(service|container):/.test(s.networkMode.value)) {
      report.warning(m.file, s.networkMode.pos, field("services", s.name, "network_mode"), `network_mode ${s.networkMode.value} is not applied: a single sandbox has its own network`);
    }
  }
  return { kind: "compose-single", folder, file: m.file, service: s.name, sandbox, warnings: [] };
}

/** The x-daytona settings shared by both compose plans, and the labels. */
function baseSpec(c: ComposeContext, x: XDaytona): SandboxSpec {
  const spec: SandboxSpec = { envVars: { ...x.envVars }, labels: { ...x.labels, ...c.labels } };
  const copy: [keyof XDaytona, keyof SandboxSpec][] = [
    ["public", "public"], ["ephemeral", "ephemeral"], ["networkBlockAll", "networkBlockAll"], ["networkAllowList", "networkAllowList"],
    ["language", "language"], ["autoStopInterval", "autoStopInterval"], ["autoArchiveInterval", "autoArchiveInterval"],
    ["autoDeleteInterval", "autoDeleteInterval"], ["timeout", "timeoutSeconds"],
  ];
  for (const [from, to] of copy) if (x[from] !== undefined) (spec as unknown as Record<string, unknown>)[to] = x[from];
  return spec;
}

function servicePlan(s: ServiceModel): ServicePlan {
  const resources = s.resources.declared ? s.resources.resources : { cpu: 0, memory: 0, gpu: 0 };
  const p: ServicePlan = { name: s.name, envVars: s.environment, resources, ports: s.ports, dependsOn: s.dependsOn.map((d) => d.name) };
  if (s.image !== undefined) p.image = s.image;
  if (s.build) {
    p.build = { context: s.build.context, dockerfile: s.build.inline ? "" : s.build.dockerfile };
    if (s.build.target) p.build.target = s.build.target.value;
    if (s.build.args) p.build.args = s.build.args.value;
  }
  if (s.user !== undefined) p.user = s.user;
  if (s.workingDir !== undefined) p.workingDir = s.workingDir;
  return p;
}

/** env_files in order, later ones winning; values are interpolated from earlier values, then the project's variables. */
async function readEnvFiles(c: ComposeContext, m: ComposeModel, s: ServiceModel): Promise<Record<string, string>> {
  let out: Record<string, string> = {};
  const file = m.file;
  const project = (n: string) => own(out, n) ?? own(m.vars, n);
  for (const f of s.envFiles) {
    const kind = await c.files.stat(f.path).catch(() => undefined);
    if (kind !== "file") {
      if (f.required) c.report.error(file, f.pos, f.field, `env_file not found: ${f.path}`);
      continue;
    }
    try {
      out = { ...out, ...parseDotenv(await c.files.readFile(f.path), f.path, c.report, project) };
    } catch (e) {
      c.report.error(file, f.pos, f.field, `cannot read env_file ${f.path}: ${(e as Error).message}`);
    }
  }
  return out;
}

const RUNC = new Set(["runc", "io.containerd.runc.v2"]);

/** What the daemon of a Docker-in-Docker sandbox cannot run: other runtimes, WebAssembly platforms. */
function refuseImpossible(c: ComposeContext, m: ComposeModel, s: ServiceModel): void {
  if (s.runtime && !RUNC.has(s.runtime.value)) {
    c.report.error(m.file, s.runtime.pos, field("services", s.name, "runtime"), `runtime ${s.runtime.value} cannot run in a Docker-in-Docker sandbox: its daemon (docker:dind) has only runc`);
  }
  if (s.platform && /(^|\/)(wasi|wasm)/i.test(s.platform.value)) {
    c.report.error(m.file, s.platform.pos, field("services", s.name, "platform"), `platform ${s.platform.value} needs a WebAssembly runtime, which the daemon of a Docker-in-Docker sandbox does not have`);
  }
}

/** What compose reads besides the folder's tracked files: listed so it is uploaded even when .gitignore excludes it. */
async function requiredFiles(c: ComposeContext, m: ComposeModel): Promise<RequiredFile[]> {
  const out = new Map<string, RequiredFile>();
  const add = async (path: string, f: string, secret: boolean) => {
    if (!out.has(path) && (await c.files.stat(path).catch(() => undefined))) out.set(path, { path, field: f, secret });
  };
  for (const [i, f] of m.files.entries()) await add(f, i === 0 ? "compose file" : "compose file (override / COMPOSE_FILE)", false);
  for (const f of m.readFiles) await add(f.path, f.field, false);
  const secrets = new Set<string>();
  const configs = new Set<string>();
  for (const s of m.active) {
    for (const e of s.envFiles) await add(e.path, e.field, false);
    if (s.build && !s.build.remote) await add(s.build.context, field("services", s.name, "build"), false);
    s.secrets.forEach((x) => secrets.add(x));
    s.configs.forEach((x) => configs.add(x));
  }
  for (const [section, names] of [["secrets", secrets], ["configs", configs]] as const) {
    const top = m.top.entries.get(section)?.value;
    for (const name of names) {
      const def = top?.kind === "map" ? top.entries.get(name)?.value : undefined;
      const file = def?.kind === "map" ? def.entries.get("file")?.value : undefined;
      if (file?.kind === "scalar" && typeof file.value === "string") await add(resolve(m.dir, file.value), field(section, name, "file"), section === "secrets");
    }
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isInside(path: string, dir: string): boolean {
  const r = relative(dir, path);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
}

/** Bind mounts outside the uploaded folder point at nothing in the sandbox. */
function warnOutsideFolder(c: ComposeContext, m: ComposeModel, s: ServiceModel): void {
  const vols = s.map.entries.get("volumes")?.value;
  if (vols?.kind !== "seq") return;
  vols.items.forEach((v, i) => {
    let source: string | undefined;
    if (v.kind === "scalar" && typeof v.value === "string" && v.value.includes(":")) source = v.value.split(":")[0];
    else if (v.kind === "map") {
      const src = v.entries.get("source")?.value;
      const type = v.entries.get("type")?.value;
      if (type?.kind === "scalar" && type.value === "bind" && src?.kind === "scalar") source = String(src.value);
    }
    if (!source || !/^[./~]/.test(source)) return; // a named volume
    if (isAbsolute(source) && isInside(source, m.dir)) return; // ${PWD}/...: the project folder, in the sandbox too
    const f = field("services", s.name, "volumes", i);
    if (source.startsWith("/") || source.startsWith("~")) c.report.warning(m.file, v.pos, f, `${source} is a path inside the sandbox, not on this machine`);
    else if (!isInside(resolve(m.dir, source), m.dir)) c.report.warning(m.file, v.pos, f, `${source} is outside the compose folder and is not uploaded`);
  });
}
