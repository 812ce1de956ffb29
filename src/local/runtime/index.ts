// The sandbox runtime: directories on the host, processes under bubblewrap (or plain, see below).
//
// Without bubblewrap (not installed, not working, or forcePlain) commands are plain child processes
// with cwd, HOME and TMPDIR pointing at the sandbox's host directories. What is lost then: commands see
// and can write the whole host file system as the server's user (other sandboxes and the data dir
// included), in-sandbox absolute paths such as /home/daytona or /tmp name the host's paths, there is no
// network cut-off for networkBlockAll, and a process that calls setsid and reparents to init escapes
// killAll. The toolbox's file API stays confined either way (resolvePath does not depend on bwrap).
// DinD sandboxes (info.docker) get a docker socket of their own: see docker.ts.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ToolboxError, type SandboxProcess, type SandboxRuntime, type SandboxRuntimeInfo, type SpawnOptions } from "../contract";
import { bwrapArgs } from "./bwrapArgs";
import { createDockerAccess } from "./docker";
import { hostRootEntries, sandboxLayout, type SandboxLayout } from "./layout";
import { descendants, killTree } from "./processTree";
import { MetricsSampler } from "./metrics";
import { heldBy, listeningInodes, publishedBySandbox } from "./portOwner";
import { PTY_BRIDGE_SOURCE, PYTHON } from "./ptyBridge";
import { resolveSandboxPath } from "./resolvePath";

export const BWRAP = "/usr/bin/bwrap";
export const SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface RuntimeOptions {
  dataDir: string;
  forcePlain?: boolean;
  log?: (line: string) => void;
}

/** The runtime plus helpers the toolbox uses (not part of the contract). */
export interface LocalRuntime extends SandboxRuntime {
  layout(info: SandboxRuntimeInfo): SandboxLayout;
  readonly dataDirReal: string;
}

function bwrapWorks(): boolean {
  try {
    fs.accessSync(BWRAP, fs.constants.X_OK);
  } catch {
    return false;
  }
  const r = spawnSync(BWRAP, ["--ro-bind", "/", "/", "--unshare-pid", "--proc", "/proc", "--dev", "/dev", "--", "/bin/true"], { timeout: 5000, stdio: "ignore" });
  return r.status === 0;
}

function exitCodeOf(code: number | null, sig: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (sig ? (os.constants.signals[sig] ?? 9) : 9);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function createRuntime(opts: RuntimeOptions): LocalRuntime {
  fs.mkdirSync(path.join(opts.dataDir, "sandboxes"), { recursive: true });
  const dataDirReal = fs.realpathSync(opts.dataDir);
  const sandboxesDir = path.join(dataDirReal, "sandboxes");
  const isolated = !opts.forcePlain && bwrapWorks();
  const procs = new Map<string, Set<SandboxProcess>>();
  const docker = createDockerAccess(dataDirReal, opts.log);
  const sampler = new MetricsSampler();
  const varRunIsDir = fs.lstatSync("/var/run", { throwIfNoEntry: false })?.isDirectory() === true;

  const layout = (info: SandboxRuntimeInfo) => sandboxLayout(sandboxesDir, info.id, info.user, info.volumes);

  function buildEnv(info: SandboxRuntimeInfo, l: SandboxLayout, options: SpawnOptions): Record<string, string> {
    const env: Record<string, string> = {
      PATH: SANDBOX_PATH,
      HOME: isolated ? l.homeInside : l.home,
      USER: info.user,
      LOGNAME: info.user,
      SHELL: "/bin/bash",
      TERM: options.pty ? "xterm-256color" : "dumb",
      LANG: "C.UTF-8",
      DAYTONA_SANDBOX_ID: info.id,
    };
    if (!isolated) env.TMPDIR = l.tmp;
    // Without bubblewrap there is no /run/docker.sock of the sandbox's own: point the CLI at its proxy.
    const sock = info.docker ? docker.socketFor(info.id) : undefined;
    if (!isolated && sock) env.DOCKER_HOST = `unix://${sock}`;
    for (const [k, v] of Object.entries({ ...info.env, ...options.env })) {
      if (!ENV_NAME.test(k)) throw new ToolboxError(400, "BAD_REQUEST", `invalid environment variable name: ${JSON.stringify(k)}`);
      if (typeof v !== "string" || v.includes("\0")) throw new ToolboxError(400, "BAD_REQUEST", `invalid value for ${k}`);
      env[k] = v;
    }
    return env;
  }

  /** The working directory: checked to be a directory the sandbox can see. Returns [inside, host]. */
  function workingDir(l: SandboxLayout, cwd: string | undefined): [string, string] {
    const inside = path.posix.resolve(l.homeInside, cwd ?? l.homeInside);
    const host = resolveSandboxPath(l, dataDirReal, inside, "read");
    let ok = false;
    try {
      ok = fs.statSync(host).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw new ToolboxError(400, "BAD_REQUEST", `working directory ${JSON.stringify(cwd)} does not exist`);
    return [inside, host];
  }

  function track(id: string, child: ChildProcess, pty: boolean): SandboxProcess {
    const exited = new Promise<number>((resolve) => {
      child.once("exit", (code, sig) => resolve(exitCodeOf(code, sig)));
      child.once("error", () => resolve(127));
    });
    const sp: SandboxProcess = {
      child,
      exited,
      resize(cols: number, rows: number) {
        const ctl = child.stdio[3];
        if (!pty || !ctl || !("write" in ctl)) return;
        (ctl as NodeJS.WritableStream).write(`${Math.max(1, Math.floor(cols))} ${Math.max(1, Math.floor(rows))}\n`);
      },
      kill(sig: NodeJS.Signals = "SIGKILL") {
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) killTree(child.pid, sig);
      },
    };
    const set = procs.get(id) ?? new Set<SandboxProcess>();
    set.add(sp);
    procs.set(id, set);
    void exited.then(() => {
      set.delete(sp);
      if (set.size === 0 && procs.get(id) === set) procs.delete(id);
    });
    return sp;
  }

  return {
    isolated,
    dataDirReal,
    layout,
    hostDir: (id) => path.join(sandboxesDir, id),
    homeDir: (info) => layout(info).homeInside,

    async prepare(info) {
      const l = layout(info);
      for (const d of [l.home, l.workspace, l.scratch]) await fs.promises.mkdir(d, { recursive: true });
      await fs.promises.mkdir(l.tmp, { recursive: true });
      await fs.promises.chmod(l.tmp, 0o1777);
      for (const v of info.volumes ?? []) await fs.promises.mkdir(v.source, { recursive: true });
      if (info.docker) await docker.open(info, (p, access) => resolveSandboxPath(l, dataDirReal, p, access));
    },

    releaseDocker: (id, how) => docker.release(id, how),
    close: () => docker.closeAll(),

    resolvePath(info, sandboxPath, access) {
      return resolveSandboxPath(layout(info), dataDirReal, sandboxPath, access);
    },

    spawn(info, argv, options = {}) {
      if (argv.length === 0 || argv.some((a) => typeof a !== "string" || a.includes("\0"))) {
        throw new ToolboxError(400, "BAD_REQUEST", "invalid command line");
      }
      const l = layout(info);
      if (!fs.existsSync(l.home)) throw new ToolboxError(409, "CONFLICT", `sandbox ${info.id} is not prepared`);
      const [cwdInside, cwdHost] = workingDir(l, options.cwd);
      const env = buildEnv(info, l, options);
      let cmd: string[] = isolated
        ? [BWRAP, ...bwrapArgs({ layout: l, hostRoot: hostRootEntries(), dataDirReal, networkBlockAll: info.networkBlockAll, cwd: cwdInside, newSession: !options.pty, dockerSocket: info.docker ? docker.socketFor(info.id) : undefined, varRunIsDir }), ...argv]
        : argv;
      if (options.pty) {
        cmd = [PYTHON, "-c", PTY_BRIDGE_SOURCE, ...cmd];
        env.DAYTONA_PTY_COLS = String(Math.max(1, Math.floor(options.pty.cols || 80)));
        env.DAYTONA_PTY_ROWS = String(Math.max(1, Math.floor(options.pty.rows || 24)));
      }
      const fd3 = options.pty || options.extraPipe;
      const child = spawn(cmd[0], cmd.slice(1), {
        cwd: isolated ? l.root : cwdHost,
        env,
        detached: true,
        stdio: fd3 ? ["pipe", "pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe"],
      });
      return track(info.id, child, Boolean(options.pty));
    },

    metrics: (info, limits) => sampler.sample(info.id, path.join(sandboxesDir, info.id), [...(procs.get(info.id) ?? [])].map((p) => p.child.pid ?? 0), limits),
    async previewAddress(id, port) {
      const roots = [...(procs.get(id) ?? [])].map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined);
      const pids = roots.flatMap((pid) => [pid, ...descendants(pid)]);
      if (heldBy(pids, listeningInodes(port))) return { host: "127.0.0.1", port };
      // A DinD sandbox's services run on the host engine: a port one of its own containers publishes.
      if (docker.socketFor(id) && (await publishedBySandbox(id, port))) return { host: "127.0.0.1", port };
      return undefined;
    },

    async killAll(id) {
      const set = procs.get(id);
      if (!set) return;
      const list = [...set];
      for (const p of list) p.kill("SIGKILL");
      await Promise.race([Promise.all(list.map((p) => p.exited)), new Promise((r) => setTimeout(r, 5000).unref())]);
    },
  };
}

