// The sandbox runtime: one container per sandbox on the host's Docker engine, as Daytona's runners
// do. Processes are engine execs as the sandbox's user, file operations go through a toolbox agent
// inside the container (agentSource.ts), snapshots and forks are commits, Dockerfiles are engine builds.
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { Duplex } from "node:stream";
import type Docker from "dockerode";
import { ToolboxError, type BuildRequest, type ImageInfo, type SandboxFiles, type SandboxProcess, type SandboxRuntime, type SandboxRuntimeInfo, type SpawnOptions } from "../contract";
import { AgentClient, agentError } from "./agentClient";
import { AGENT_SOURCE } from "./agentSource";
import { buildImage } from "./build";
import { containerName, containerSpec, homeOf, imageRef, instanceId, INSTANCE_LABEL, KIND_LABEL, OWNER_LABEL, PARTIAL_LABEL } from "./containers";
import { createDind, type Dind } from "./dind";
import { sandboxContainers } from "../docker/services";
import { connectEngine, ensureNetwork, isNotFound } from "./engine";
import { rootKillTree, runRoot, startExec } from "./exec";
import { MetricsSampler } from "./metrics";
import { WarmPool } from "./pool";
import { Watchdog } from "./watchdog";

export const BASE_IMAGE = "daytona-local/sandbox:latest";
export const DIND_IMAGE = "daytona-local/sandbox-dind:latest";
/** The uid of the images' user daytona (scripts/setup-images.sh). */
const SANDBOX_UID = 1000;

export interface RuntimeOptions {
  dataDir: string;
  log?: (line: string) => void;
  /** Ready containers kept per default image (0 turns the pool off). */
  poolSize?: number;
}

/** Relays stdin/stdout to 127.0.0.1:<port> inside the sandbox (preview of a loopback-bound server). */
const RELAY_SOURCE = 'const s=require("net").connect(+process.argv[1],"127.0.0.1");process.stdin.pipe(s);s.pipe(process.stdout);s.on("error",(e)=>{process.stderr.write(String(e));process.exit(1)});s.on("close",()=>process.exit(0))';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/;

function checkInfo(info: SandboxRuntimeInfo): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(info.id)) throw new ToolboxError(400, "BAD_REQUEST", `invalid sandbox id: ${JSON.stringify(info.id)}`);
  if (!USER_RE.test(info.user)) throw new ToolboxError(400, "BAD_REQUEST", `invalid sandbox user name: ${JSON.stringify(info.user)}`);
}

export async function createRuntime(opts: RuntimeOptions): Promise<SandboxRuntime> {
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const dataDirReal = fs.realpathSync(opts.dataDir);
  const instance = instanceId(dataDirReal);
  const { docker, description, hostCpus } = await connectEngine([BASE_IMAGE]);
  await ensureNetwork(docker);
  const procs = new Map<string, Set<SandboxProcess>>();
  const agents = new Map<string, Promise<AgentClient>>();
  const dind: Dind = createDind(docker, dataDirReal, instance, log);
  const watchdog = new Watchdog(docker);
  const pool = new WarmPool(docker, instance, hostCpus, opts.poolSize ?? 0, log, (cid) => watchdog.hold(cid));
  const name = (id: string) => containerName(instance, id);
  const sampler = new MetricsSampler(docker);
  /** What create/start were told about each sandbox (the agent runs as its user). */
  const infos = new Map<string, SandboxRuntimeInfo>();

  /** Remove the upload files a commit caught half-written (named on the image) from a new container. */
  async function dropPartialUploads(id: string, image: string): Promise<void> {
    const label = (await docker.getImage(image).inspect().catch(() => undefined))?.Config?.Labels?.[PARTIAL_LABEL];
    const paths = label ? (JSON.parse(label) as string[]) : [];
    if (paths.length === 0) return;
    await runRoot(docker, name(id), ["rm", "-f", "--", ...paths]);
  }

  function track(id: string, p: SandboxProcess): SandboxProcess {
    const set = procs.get(id) ?? new Set<SandboxProcess>();
    set.add(p);
    procs.set(id, set);
    void p.exited.then(() => {
      set.delete(p);
      if (set.size === 0 && procs.get(id) === set) procs.delete(id);
    });
    return p;
  }

  function buildEnv(info: SandboxRuntimeInfo, user: string, options: SpawnOptions): string[] {
    const env: Record<string, string> = {
      HOME: homeOf(user),
      USER: user,
      LOGNAME: user,
      SHELL: "/bin/bash",
      TERM: options.pty ? "xterm-256color" : "dumb",
      LANG: "C.UTF-8",
      DAYTONA_SANDBOX_ID: info.id,
    };
    for (const [k, v] of Object.entries({ ...info.env, ...options.env })) {
      if (!ENV_NAME.test(k)) throw new ToolboxError(400, "BAD_REQUEST", `invalid environment variable name: ${JSON.stringify(k)}`);
      if (typeof v !== "string" || v.includes("\0")) throw new ToolboxError(400, "BAD_REQUEST", `invalid value for ${k}`);
      env[k] = v;
    }
    return Object.entries(env).map(([k, v]) => `${k}=${v}`);
  }

  function agent(info: SandboxRuntimeInfo): Promise<AgentClient> {
    const cur = agents.get(info.id);
    if (cur) {
      return cur.then((a) => {
        if (a.alive) return a;
        agents.delete(info.id);
        return agent(info);
      });
    }
    const p = (async () => {
      const proc = await startExec(docker, { container: name(info.id), argv: ["node", "-e", AGENT_SOURCE], user: info.user, env: [`HOME=${homeOf(info.user)}`], cwd: "/" }).catch((e: unknown) => {
        const msg = e instanceof Error ? e.message : String(e);
        throw /not found|no such file/i.test(msg) ? agentError("ENOAGENT", `file operations need node in the sandbox's image (the toolbox agent runs on it): ${msg}`) : agentError("EIO", msg);
      });
      const client = new AgentClient(proc);
      await client.ready();
      return client;
    })();
    agents.set(info.id, p);
    p.catch(() => agents.delete(info.id));
    return p;
  }

  function files(info: SandboxRuntimeInfo): SandboxFiles {
    const call =
      <K extends keyof SandboxFiles>(k: K) =>
      async (...args: Parameters<SandboxFiles[K]>): Promise<Awaited<ReturnType<SandboxFiles[K]>>> => {
        const a = await agent(info);
        return (a[k] as (...x: unknown[]) => Promise<Awaited<ReturnType<SandboxFiles[K]>>>).apply(a, args);
      };
    return {
      list: call("list"),
      stat: call("stat"),
      mkdir: call("mkdir"),
      remove: call("remove"),
      move: call("move"),
      chmod: call("chmod"),
      read: call("read"),
      write: call("write"),
      stage: call("stage"),
      commit: call("commit"),
      discard: call("discard"),
      find: call("find"),
      search: call("search"),
      replace: call("replace"),
      listeningPorts: call("listeningPorts"),
    };
  }

  async function closeAgent(id: string): Promise<void> {
    const a = agents.get(id);
    agents.delete(id);
    if (a) (await a.catch(() => undefined))?.kill();
  }

  /** Drop the sandbox's agent without killing it (its container is about to stop). */
  function forget(id: string): void {
    agents.delete(id);
  }

  /** Wait (briefly) until the processes of a stopped or removed container have reported their end. */
  async function settled(id: string): Promise<void> {
    const list = [...(procs.get(id) ?? [])];
    await Promise.race([Promise.all(list.map((p) => p.exited)), new Promise((r) => setTimeout(r, 3000).unref())]);
  }

  async function killAll(id: string): Promise<void> {
    const list = [...(procs.get(id) ?? [])];
    for (const p of list) p.kill("SIGKILL");
    await Promise.race([Promise.all(list.map((p) => p.exited)), new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  async function spawn(info: SandboxRuntimeInfo, argv: string[], options: SpawnOptions = {}): Promise<SandboxProcess> {
    checkInfo(info);
    if (argv.length === 0 || argv.some((a) => typeof a !== "string" || a.includes("\0"))) throw new ToolboxError(400, "BAD_REQUEST", "invalid command line");
    const user = options.user ?? info.user;
    if (!USER_RE.test(user)) throw new ToolboxError(400, "BAD_REQUEST", `invalid user name: ${JSON.stringify(user)}`);
    const env = buildEnv(info, user, options);
    const home = homeOf(user);
    const cwd = path.posix.resolve(home, options.cwd ?? home);
    if (options.cwd !== undefined) {
      // Without an agent (no node in the image) the engine's exec reports a missing directory itself.
      const st = await files(info)
        .stat(cwd)
        .catch((e: NodeJS.ErrnoException) => (e.code === "ENOAGENT" ? { isDir: true } : undefined));
      if (!st?.isDir) throw new ToolboxError(400, "BAD_REQUEST", `working directory ${JSON.stringify(options.cwd)} does not exist`);
    }
    const base = { container: name(info.id), user, env, cwd };
    if (options.pty || user !== info.user) return track(info.id, await startExec(docker, { ...base, argv, tty: options.pty }));
    // Everything else is a child of the sandbox's agent: a few ms instead of an engine exec. An image
    // without node (no agent) still runs plain commands, as engine execs.
    let a: AgentClient;
    try {
      a = await agent(info);
    } catch (e) {
      if (options.extraPipe || (e as NodeJS.ErrnoException).code !== "ENOAGENT") throw e;
      return track(info.id, await startExec(docker, { ...base, argv }));
    }
    const envMap = Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    const rootKill = (pid: number, sig: NodeJS.Signals) => void rootKillTree(docker, name(info.id), pid, sig);
    return track(info.id, await a.spawn(argv, { cwd, env: envMap, fd3: Boolean(options.extraPipe) }, rootKill));
  }

  async function inspect(id: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await docker.getContainer(name(id)).inspect();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async function removeContainer(id: string): Promise<void> {
    const cid = (await inspect(id))?.Id;
    if (cid) watchdog.release(cid);
    await docker
      .getContainer(name(id))
      .remove({ force: true, v: true })
      .catch((e: unknown) => {
        if (!isNotFound(e) && !String(e).includes("already in progress")) throw e;
      });
  }

  /** A volume's directory (or subpath) exists and belongs to the sandbox user before it is bound. */
  async function prepareVolumes(info: SandboxRuntimeInfo): Promise<void> {
    for (const v of info.volumes ?? []) {
      await fs.promises.mkdir(v.source, { recursive: true });
      const st = await fs.promises.lstat(v.source);
      if (!st.isDirectory()) throw new ToolboxError(400, "BAD_REQUEST", `volume source for ${v.mountPath} is not a directory`);
      if (info.user !== "root" && st.uid === 0) await fs.promises.chown(v.source, SANDBOX_UID, SANDBOX_UID).catch(() => undefined);
    }
  }

  const runtime: SandboxRuntime = {
    description,
    baseImage: BASE_IMAGE,
    dindImage: DIND_IMAGE,

    async create(info, image) {
      checkInfo(info);
      infos.set(info.id, info);
      await removeContainer(info.id);
      const socketDir = info.docker ? await dind.open(info.id) : undefined;
      await prepareVolumes(info);
      // Warm containers have no binds: a sandbox with volumes gets a container of its own.
      if (!socketDir && !info.networkBlockAll && !info.volumes?.length && (await pool.claim(image, info, name(info.id)))) return;
      const c = await docker.createContainer(containerSpec(info, { instance, image, hostCpus, dockerSocketDir: socketDir }));
      await c.start();
      await watchdog.hold(c.id);
      await dropPartialUploads(info.id, image);
      if (info.docker) await dind.resume(info.id);
      pool.refill(image);
    },

    async start(info) {
      checkInfo(info);
      infos.set(info.id, info);
      const st = await inspect(info.id);
      if (!st) throw new Error(`the sandbox's container ${name(info.id)} is gone`);
      if (info.docker) await dind.open(info.id);
      if (!st.State.Running) await docker.getContainer(name(info.id)).start();
      await watchdog.hold(st.Id);
      if (info.docker) await dind.resume(info.id);
    },

    async stop(id) {
      // Stopping the container ends every process in it at once (no kill per process first).
      forget(id);
      await dind.release(id, "stop");
      const cid = (await inspect(id))?.Id;
      await docker
        .getContainer(name(id))
        .stop({ t: 1 })
        .catch((e: unknown) => {
          const status = (e as { statusCode?: number }).statusCode;
          if (status !== 304 && status !== 404) throw e;
        });
      if (cid) watchdog.release(cid);
      await settled(id);
    },

    async remove(id) {
      forget(id);
      // The container first: networks it joined cannot be removed while it is attached to them.
      await removeContainer(id);
      await settled(id);
      await dind.release(id, "remove");
      await removeOwnedImages(id);
    },

    async status(id) {
      const st = await inspect(id);
      return !st ? "missing" : st.State.Running ? "running" : "stopped";
    },

    async commit(id, kind, ownerId) {
      const ref = imageRef(instance, kind, ownerId);
      // Uploads in flight are hidden siblings (".name.daytona-upload-*"), not finished files: the image
      // names them and containers made from it remove them before anything runs there.
      const info = infos.get(id);
      const partial = info && (await runtime.status(id)) === "running" ? await agent(info).then((a) => a.inflight()).catch(() => [] as string[]) : [];
      const labels = [`${INSTANCE_LABEL}=${instance}`, `${KIND_LABEL}=${kind}`, `${OWNER_LABEL}=${ownerId}`, `${PARTIAL_LABEL}=${JSON.stringify(JSON.stringify(partial))}`];
      await docker.getContainer(name(id)).commit({ repo: ref.repo, tag: ref.tag, pause: true, changes: [`LABEL ${labels.join(" ")}`] });
      const img = await docker.getImage(ref.name).inspect();
      return { image: ref.name, sizeBytes: img.Size };
    },

    async archive(id) {
      const img = await runtime.commit(id, "archive", id);
      // A DinD sandbox's services stay (stopped with it); its new container rejoins their networks.
      await removeContainer(id);
      return img;
    },

    async build(req: BuildRequest): Promise<ImageInfo> {
      const ref = imageRef(instance, "build", req.ownerId);
      await buildImage(docker, { ...req, tag: ref.name, labels: { [INSTANCE_LABEL]: instance, [KIND_LABEL]: "build", [OWNER_LABEL]: req.ownerId } });
      const img = await docker.getImage(ref.name).inspect();
      // The built image's ENTRYPOINT and CMD (containers run `cat` as PID 1; the toolbox runs these).
      const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : typeof v === "string" ? [v] : undefined);
      const entrypoint = strings(img.Config?.Entrypoint);
      const cmd = strings(img.Config?.Cmd);
      return { image: ref.name, sizeBytes: img.Size, ...(entrypoint?.length ? { entrypoint } : {}), ...(cmd?.length ? { cmd } : {}) };
    },

    async imageExists(image) {
      try {
        await docker.getImage(image).inspect();
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },

    async removeImage(image) {
      // Only images this instance made: the defaults and anything else on the engine stay.
      if (!image.startsWith(`${imageRef(instance, "x", "x").repo}:`)) return;
      await docker
        .getImage(image)
        .remove({ noprune: false })
        .catch((e: unknown) => {
          const status = (e as { statusCode?: number }).statusCode;
          if (status !== 404 && status !== 409) throw e;
        });
    },

    async address(id) {
      const st = await inspect(id);
      const net = st?.NetworkSettings.Networks ?? {};
      for (const n of Object.values(net)) if (n.IPAddress) return n.IPAddress;
      return undefined;
    },

    async connect(info, port) {
      const attempt = (p: number, host: string) =>
        new Promise<net.Socket | undefined>((resolve) => {
          const s = net.connect(p, host);
          s.once("connect", () => resolve(s));
          s.once("error", () => resolve(undefined));
        });
      const host = await runtime.address(info.id);
      if (host) {
        const direct = await attempt(port, host);
        if (direct) return direct;
      }
      // A DinD sandbox's services publish their ports on the engine host's loopback (guardRules.ts):
      // the port is the sandbox's when one of its own containers publishes it (as with a docker
      // daemon inside the sandbox), never another sandbox's or the host's.
      if (info.docker) {
        const own = await sandboxContainers(docker, info.id).catch(() => []);
        const published = own.some((c) => c.State === "running" && c.Ports.some((p) => p.Type === "tcp" && p.PublicPort === port));
        const viaHost = published ? await attempt(port, "127.0.0.1") : undefined;
        if (viaHost) return viaHost;
      }
      const relay = await spawn(info, ["node", "-e", RELAY_SOURCE, String(port)]);
      relay.stderr.resume();
      const d = Duplex.from({ writable: relay.stdin, readable: relay.stdout });
      d.on("close", () => relay.kill("SIGKILL"));
      return d;
    },

    homeDir: (info) => homeOf(info.user),
    metrics: (info, limits) => sampler.sample(info.id, name(info.id), limits),
    spawn,
    files,
    killAll,

    async reconcile(known) {
      const mine = await docker.listContainers({ all: true, filters: { label: [`${INSTANCE_LABEL}=${instance}`] } });
      for (const c of mine) {
        const cname = (c.Names[0] ?? "").replace(/^\//, "");
        if (cname.startsWith(pool.prefix)) continue;
        const id = cname.startsWith(`daytona-${instance}-`) ? cname.slice(`daytona-${instance}-`.length) : "";
        if (known.has(id)) continue;
        log(`removing container ${cname}: no sandbox of this server owns it`);
        await docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined);
      }
      await dind.reconcile(known);
    },

    async close() {
      await Promise.allSettled([...procs.keys()].map(killAll));
      await Promise.allSettled([...agents.keys()].map(closeAgent));
      await pool.close();
      await dind.closeAll();
      const running = await docker.listContainers({ filters: { label: [`${INSTANCE_LABEL}=${instance}`], status: ["running"] } }).catch(() => []);
      await Promise.allSettled(running.map((c) => docker.getContainer(c.Id).stop({ t: 1 })));
      watchdog.releaseAll();
    },
  };

  async function removeOwnedImages(id: string): Promise<void> {
    const images = await docker.listImages({ filters: { label: [`${INSTANCE_LABEL}=${instance}`, `${OWNER_LABEL}=${id}`] } }).catch(() => []);
    for (const img of images) {
      const kind = img.Labels?.[KIND_LABEL];
      if (kind === "snapshot") continue;
      for (const tag of img.RepoTags ?? []) await runtime.removeImage(tag);
    }
  }

  await pool.start([BASE_IMAGE]);
  return runtime;
}
