// One compose service of a Docker-in-Docker sandbox as a Target: every operation is the docker CLI
// run through the sandbox's own Target (toolbox exec and PTY). The container is found by its compose
// labels (v1 and v2 alike) and looked up again when it was recreated.
//
// Files: a read is one exec (the container's `cat` into a sandbox temp file, printed as base64, since
// the toolbox returns text); a write is an upload of a sandbox temp file plus one exec that feeds it to
// `cat > path` through `docker exec -i` (existing files keep owner and mode). Errors map to the same
// TargetError codes as SandboxTarget, from the text docker, coreutils or busybox print.
import { randomUUID } from "node:crypto";
import type { Command } from "../dind/command";
import {
  copyPath,
  findContainer,
  listDir,
  makeDir,
  movePath,
  probeService,
  ptyShellArgv,
  readFile,
  removePath,
  statPath,
  writeFile,
  dockerExecArgv,
  type ServiceProbe,
} from "../dind/serviceCommands";
import { fileOpError, recordToStat } from "../dind/statParse";
import { shellJoin } from "../shell/quote";
import { TargetError, type ExecResult, type PtyConnection, type PtyOptions, type RemoteStat, type Target } from "./target";
import { listableEntries } from "./remoteName";

const NO_CONTAINER = /^Error response from daemon: (No such container|container [0-9a-f]+ is not running)/m;
/** RIS (ESC c), printed just before `exec docker exec`: output before it is our own typed command. */
const MARK = Buffer.from("\u001bc");

export class ServiceTarget implements Target {
  readonly key: string;
  readonly label: string;
  private containerId?: Promise<string>;
  private probed?: Promise<ServiceProbe>;

  constructor(
    private readonly sandbox: Target,
    readonly project: string,
    readonly service: string,
    label?: string,
  ) {
    this.key = `${sandbox.key}+${service}`;
    this.label = label ?? `${service} (${sandbox.label})`;
  }

  /** The container's id, found once by labels; forgotten when docker says it is gone. */
  container(): Promise<string> {
    this.containerId ??= (async () => {
      const cmd = findContainer(this.project, this.service);
      const r = await this.sandbox.exec(cmd.argv, { timeoutSeconds: cmd.timeoutSeconds });
      const id = r.exitCode === 0 ? cmd.parse!(r.output, 0) : undefined;
      if (!id) {
        const why = r.exitCode === 0 ? "no running container" : r.output.trim();
        throw new TargetError("unavailable", `Service ${this.service} of ${this.project}: ${why}`);
      }
      return id;
    })();
    this.containerId.catch(() => (this.containerId = undefined));
    return this.containerId;
  }

  private probe(): Promise<ServiceProbe> {
    this.probed ??= this.container().then(async (c) => {
      const cmd = probeService(c);
      const r = await this.sandbox.exec(cmd.argv, { timeoutSeconds: cmd.timeoutSeconds });
      return r.exitCode === 0 ? cmd.parse!(r.output, 0) : { workdir: "/" };
    });
    this.probed.catch(() => (this.probed = undefined));
    return this.probed;
  }

  /** Runs a per-container command; once more with a fresh id if the container was replaced. */
  private async raw(build: (container: string) => Command<unknown>): Promise<ExecResult & { cmd: Command<unknown> }> {
    for (let attempt = 0; ; attempt++) {
      const cmd = build(await this.container());
      const r = await this.sandbox.exec(cmd.argv, { timeoutSeconds: cmd.timeoutSeconds });
      // docker refused before running anything, so trying again cannot run the command twice.
      if (r.exitCode !== 0 && NO_CONTAINER.test(r.output) && attempt === 0) {
        this.containerId = undefined;
        this.probed = undefined;
        continue;
      }
      return { ...r, cmd };
    }
  }

  private async op<T>(build: (container: string) => Command<T>): Promise<T> {
    const r = await this.raw(build);
    const cmd = r.cmd as Command<T>;
    if (r.exitCode !== 0) throw fileOpError(cmd.what, r.output, r.exitCode);
    return cmd.parse ? cmd.parse(r.output, r.exitCode) : (undefined as T);
  }

  /** The folder `docker exec` starts in (`pwd` in the container; / when it cannot say). */
  async workingDir(): Promise<string> {
    return (await this.probe()).workdir;
  }

  async stat(path: string): Promise<RemoteStat> {
    const rec = await this.op((c) => statPath(c, path));
    if (!rec) throw new TargetError("notFound", `stat ${path}: no such file`);
    return recordToStat(rec, (await this.probe()).user);
  }

  async list(path: string): Promise<Array<[string, RemoteStat]>> {
    const [recs, probe] = await Promise.all([this.op((c) => listDir(c, path)), this.probe()]);
    return listableEntries(recs.map((r) => [r.name, recordToStat(r, probe.user)]));
  }

  async read(path: string): Promise<Uint8Array> {
    const buf = await this.op((c) => readFile(c, path, tmpPath()));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** `keepMode` needs no work: `cat >` rewrites an existing file in place, mode and owner untouched. */
  async write(path: string, data: Uint8Array, _keepMode?: number): Promise<void> {
    const tmp = tmpPath();
    await this.sandbox.write(tmp, data);
    await this.op((c) => writeFile(c, path, tmp));
  }

  mkdir(path: string): Promise<void> {
    return this.op((c) => makeDir(c, path));
  }

  remove(path: string, recursive: boolean): Promise<void> {
    return this.op((c) => removePath(c, path, recursive));
  }

  rename(from: string, to: string): Promise<void> {
    return this.op((c) => movePath(c, from, to));
  }

  copy(from: string, to: string): Promise<void> {
    return this.op((c) => copyPath(c, from, to));
  }

  async exec(argv: string[], options: { cwd?: string; timeoutSeconds?: number } = {}): Promise<ExecResult> {
    const r = await this.raw((c) => ({ argv: dockerExecArgv(c, argv, { workdir: options.cwd }), what: `run ${argv[0]}`, timeoutSeconds: options.timeoutSeconds }));
    return { exitCode: r.exitCode, output: r.output };
  }

  async homeDir(): Promise<string> {
    const p = await this.probe();
    return p.workdir !== "/" ? p.workdir : (p.home ?? "/");
  }

  /** A PTY in the sandbox whose shell is replaced by `docker exec -it` into the container. */
  async openPty(options: PtyOptions, onData: (data: Uint8Array) => void): Promise<PtyConnection> {
    const [c, probe] = await Promise.all([this.container(), this.probe()]);
    const argv = ptyShellArgv(c, { workdir: options.cwd ?? probe.workdir, env: { TERM: "xterm-256color", ...options.env } });
    const conn = await this.sandbox.openPty({ id: options.id, cols: options.cols, rows: options.rows }, skipUntilMark(onData));
    await conn.send(` printf '\\033c'; exec ${shellJoin(argv)}\n`);
    return conn;
  }

  /** The PTY id is the sandbox PTY's, which now runs `docker exec`: reconnecting is the sandbox's. */
  reconnectPty(id: string, onData: (data: Uint8Array) => void): Promise<PtyConnection> {
    return this.sandbox.reconnectPty(id, onData);
  }
}

function tmpPath(): string {
  return `/tmp/.daytona-service-${randomUUID()}`;
}

/** Drops the sandbox shell's prompt and the echo of the command we typed (up to ESC c); 64 KiB at most. */
export function skipUntilMark(onData: (data: Uint8Array) => void): (data: Uint8Array) => void {
  let held: Buffer | undefined = Buffer.alloc(0);
  return (data) => {
    if (!held) return onData(data);
    held = Buffer.concat([held, data]);
    const at = held.indexOf(MARK);
    if (at < 0 && held.length < 64 * 1024) return;
    const rest = at < 0 ? held : held.subarray(at);
    held = undefined;
    if (rest.length) onData(rest);
  };
}
