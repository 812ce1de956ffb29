// A sandbox as a Target, through its toolbox API (the SDK's fs and process). Every SDK failure comes
// out as a TargetError with a code the file system can map to the right FileSystemError.
import { randomUUID } from "node:crypto";
import type { SdkSandbox } from "../daytona/client";
import { toDaytonaError } from "../daytona/errors";
import { shellJoin } from "../shell/quote";
import { FileKind, TargetError, type ExecResult, type PtyConnection, type PtyOptions, type RemoteStat, type Target } from "./target";
import { listableEntries } from "./remoteName";

/** Files at least this big are streamed when their size is known. */
const STREAM_ABOVE = 8 * 1024 * 1024;

type FileInfo = Awaited<ReturnType<SdkSandbox["fs"]["getFileDetails"]>>;
type PtyHandle = Awaited<ReturnType<SdkSandbox["process"]["createPty"]>>;

export function toTargetError(err: unknown, what: string): TargetError {
  if (err instanceof TargetError) return err;
  const e = toDaytonaError(err);
  const msg = `${what}: ${e.message}`;
  const text = e.message.toLowerCase();
  if (e.kind === "notFound" || /no such file|not found|does not exist/.test(text)) return new TargetError("notFound", msg, err);
  if (e.kind === "forbidden" || /permission denied|forbidden|read-only/.test(text)) return new TargetError("noPermissions", msg, err);
  if (e.kind === "conflict" && /exist/.test(text)) return new TargetError("exists", msg, err);
  if (/is a directory/.test(text)) return new TargetError("isDirectory", msg, err);
  if (/not a directory/.test(text)) return new TargetError("notDirectory", msg, err);
  if (e.kind === "unreachable" || e.kind === "timeout" || e.kind === "server") return new TargetError("unavailable", msg, err);
  return new TargetError("other", msg, err);
}

/** FileInfo.mode is a string such as "-rwxr-xr-x"; permissions an octal string such as "0755". */
export function parseMode(info: { mode?: string; permissions?: string }): number | undefined {
  if (info.permissions && /^0?[0-7]{3,4}$/.test(info.permissions)) return parseInt(info.permissions, 8) & 0o7777;
  const m = info.mode;
  if (m && /^[-dlcbps][-rwxsStT]{9}/.test(m)) {
    let bits = 0;
    for (let i = 0; i < 9; i++) if (m[i + 1] !== "-" && m[i + 1] !== "S" && m[i + 1] !== "T") bits |= 1 << (8 - i);
    return bits;
  }
  return undefined;
}

export function toRemoteStat(info: FileInfo, user?: string): RemoteStat {
  const mode = parseMode(info as { mode?: string; permissions?: string });
  const isLink = typeof info.mode === "string" && info.mode.startsWith("l");
  const type = (info.isDir ? FileKind.Directory : FileKind.File) | (isLink ? FileKind.SymbolicLink : 0);
  const mtime = Date.parse(info.modTime ?? "") || 0;
  const ownerWritable = mode === undefined || (mode & 0o200) !== 0;
  const othersWritable = mode !== undefined && (mode & 0o002) !== 0;
  const mine = !user || !info.owner || info.owner === user || user === "root";
  return {
    type,
    size: Number(info.size) || 0,
    mtime,
    ctime: mtime,
    mode,
    owner: info.owner,
    group: info.group,
    readonly: !(mine ? ownerWritable : othersWritable),
  };
}

function wrapPty(handle: PtyHandle, kill: () => Promise<void>): PtyConnection {
  return {
    send: (data) => handle.sendInput(data),
    resize: async (cols, rows) => {
      await handle.resize(cols, rows);
    },
    kill,
    disconnect: () => handle.disconnect(),
    closed: async () => {
      const r = await handle.wait().catch((err: unknown) => ({ exitCode: undefined, error: String(err) }));
      return { exitCode: r.exitCode, reason: r.error };
    },
  };
}

export class SandboxTarget implements Target {
  readonly key: string;

  private constructor(
    private readonly sandbox: SdkSandbox,
    readonly label: string,
    /** The user the toolbox acts as; decides which files show as read-only. */
    private readonly user: string | undefined,
  ) {
    this.key = sandbox.id;
  }

  /**
   * Asks the sandbox once who its processes run as: that user, not the sandbox's configured one, is
   * who writes files (on the local server everything runs as the host's user).
   */
  static async create(sandbox: SdkSandbox, label: string): Promise<SandboxTarget> {
    const r = await sandbox.process.executeCommand("id -un").catch(() => undefined);
    const user = r && r.exitCode === 0 && r.result?.trim() ? r.result.trim() : sandbox.user;
    return new SandboxTarget(sandbox, label, user);
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toTargetError(err, what);
    }
  }

  stat(path: string): Promise<RemoteStat> {
    return this.run(`stat ${path}`, async () => toRemoteStat(await this.sandbox.fs.getFileDetails(path), this.user));
  }

  list(path: string): Promise<Array<[string, RemoteStat]>> {
    return this.run(`list ${path}`, async () => {
      const infos = await this.sandbox.fs.listFiles(path);
      return listableEntries(infos.map((i) => [i.name, toRemoteStat(i, this.user)] as [string, RemoteStat]));
    });
  }

  read(path: string, sizeHint?: number): Promise<Uint8Array> {
    return this.run(`read ${path}`, async () => {
      if (sizeHint === undefined || sizeHint < STREAM_ABOVE) {
        const buf = await this.sandbox.fs.downloadFile(path);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      }
      // Large files: stream into one buffer of the listed size (downloadFile would hold two copies).
      let out = Buffer.allocUnsafe(sizeHint);
      let at = 0;
      for await (const chunk of await this.sandbox.fs.downloadFileStream(path)) {
        const c = chunk as Buffer;
        if (at + c.length > out.length) {
          const grown = Buffer.allocUnsafe(Math.max(out.length * 2, at + c.length));
          out.copy(grown, 0, 0, at);
          out = grown;
        }
        c.copy(out, at);
        at += c.length;
      }
      return new Uint8Array(out.buffer, out.byteOffset, at);
    });
  }

  write(path: string, data: Uint8Array, keepMode?: number): Promise<void> {
    return this.run(`write ${path}`, async () => {
      // A view on the same memory: a large file is not copied a second time.
      await this.sandbox.fs.uploadFile(Buffer.from(data.buffer, data.byteOffset, data.byteLength), path);
      if (keepMode !== undefined && keepMode !== 0o644) {
        await this.sandbox.fs.setFilePermissions(path, { mode: keepMode.toString(8).padStart(3, "0") });
      }
    });
  }

  mkdir(path: string): Promise<void> {
    return this.run(`create folder ${path}`, () => this.sandbox.fs.createFolder(path, "755"));
  }

  remove(path: string, recursive: boolean): Promise<void> {
    return this.run(`delete ${path}`, () => this.sandbox.fs.deleteFile(path, recursive));
  }

  rename(from: string, to: string): Promise<void> {
    return this.run(`move ${from}`, () => this.sandbox.fs.moveFiles(from, to));
  }

  copy(from: string, to: string): Promise<void> {
    return this.run(`copy ${from}`, async () => {
      const r = await this.exec(["cp", "-a", "--", from, to]);
      if (r.exitCode !== 0) throw new Error(r.output.trim() || `cp exited with ${r.exitCode}`);
    });
  }

  exec(argv: string[], options: { cwd?: string; timeoutSeconds?: number } = {}): Promise<ExecResult> {
    return this.run(`run ${argv[0]}`, async () => {
      const r = await this.sandbox.process.executeCommand(shellJoin(argv), options.cwd, undefined, options.timeoutSeconds);
      return { exitCode: r.exitCode, output: r.result ?? "" };
    });
  }

  homeDir(): Promise<string> {
    return this.run("find the home folder", async () => (await this.sandbox.getUserHomeDir()) ?? "/home/daytona");
  }

  openPty(options: PtyOptions, onData: (data: Uint8Array) => void): Promise<PtyConnection> {
    return this.run("open a terminal", async () => {
      const handle = await this.sandbox.process.createPty({
        id: options.id || `vscode-${randomUUID()}`,
        cols: options.cols,
        rows: options.rows,
        cwd: options.cwd,
        envs: { TERM: "xterm-256color", ...options.env },
        onData,
      });
      await handle.waitForConnection();
      return wrapPty(handle, () => this.sandbox.process.killPtySession(options.id));
    });
  }

  reconnectPty(id: string, onData: (data: Uint8Array) => void): Promise<PtyConnection> {
    return this.run("reconnect the terminal", async () => {
      const handle = await this.sandbox.process.connectPty(id, { onData });
      await handle.waitForConnection();
      return wrapPty(handle, () => this.sandbox.process.killPtySession(id));
    });
  }
}
