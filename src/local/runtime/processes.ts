// Processes and files inside a sandbox: a toolbox agent (agentSource.ts) runs in the container as the
// sandbox's user and serves file operations and plain processes; PTYs, other users and images without
// node get engine execs. Every process is tracked per sandbox so a stop or delete can wait for its end.
import * as path from "node:path";
import { ToolboxError, type SandboxFiles, type SandboxProcess, type SandboxRuntimeInfo, type SpawnOptions } from "../contract";
import { AgentClient, agentError } from "./agentClient";
import { AGENT_SOURCE } from "./agentSource";
import { homeOf } from "./containers";
import { checkInfo, nameOf, USER_RE, type RuntimeCore } from "./core";
import { rootKillTree, startExec } from "./exec";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Processes {
  spawn(info: SandboxRuntimeInfo, argv: string[], options?: SpawnOptions): Promise<SandboxProcess>;
  files(info: SandboxRuntimeInfo): SandboxFiles;
  /** The sandbox's agent (started on first use; started again when it died). */
  agent(info: SandboxRuntimeInfo): Promise<AgentClient>;
  killAll(id: string): Promise<void>;
  /** Wait (briefly) until the processes of a stopped or removed container have reported their end. */
  settled(id: string): Promise<void>;
  /** Drop the sandbox's agent without killing it (its container is about to stop). */
  forget(id: string): void;
  /** Server shutdown: kill every process and agent. */
  closeAll(): Promise<void>;
}

export function createProcesses(core: RuntimeCore): Processes {
  const { docker } = core;
  const procs = new Map<string, Set<SandboxProcess>>();
  const agents = new Map<string, Promise<AgentClient>>();
  const name = (id: string) => nameOf(core, id);

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

  return {
    spawn,
    files,
    agent,
    killAll,
    settled,
    forget: (id) => void agents.delete(id),
    async closeAll() {
      await Promise.allSettled([...procs.keys()].map(killAll));
      await Promise.allSettled([...agents.keys()].map(closeAgent));
    },
  };
}
