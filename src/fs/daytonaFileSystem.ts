// The daytona: file system: files of a sandbox (or compose service) as a VS Code FileSystemProvider.
// One request per folder listing; stat right after a listing is free (StatCache); writes honour the
// create/overwrite contract and keep the file's mode; change events are batched.
import * as path from "node:path";
import * as vscode from "vscode";
import { RateLimitedLog } from "../core/rateLimitedLog";
import { StatCache } from "../core/targets/statCache";
import { FileKind, TargetError, type RemoteStat, type Target } from "../core/targets/target";
import { toFileSystemError } from "./errors";
import type { TargetRegistry } from "./targetRegistry";
import { FolderWatcher } from "./folderWatcher";

function toFileStat(s: RemoteStat): vscode.FileStat {
  return { type: s.type, size: s.size, mtime: s.mtime, ctime: s.ctime, permissions: s.readonly ? vscode.FilePermission.Readonly : undefined };
}

export class DaytonaFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  readonly cache = new StatCache();
  private pending: vscode.FileChangeEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly watcher: FolderWatcher;
  /** One line per cause a minute: a stopped sandbox's watched folders fail on every poll. */
  private readonly limited: RateLimitedLog;

  constructor(
    private readonly targets: TargetRegistry,
    log: vscode.LogOutputChannel,
  ) {
    this.limited = new RateLimitedLog(log);
    this.watcher = new FolderWatcher((uri) => this.listFresh(uri), (events) => this.fire(...events));
  }

  private async target(uri: vscode.Uri): Promise<Target> {
    try {
      return await this.targets.get(uri.authority);
    } catch (err) {
      throw toFileSystemError(err, uri);
    }
  }

  /** Runs one operation; any failure leaves as a FileSystemError. */
  private async op<T>(uri: vscode.Uri, fn: (t: Target) => Promise<T>): Promise<T> {
    const t = await this.target(uri);
    try {
      return await fn(t);
    } catch (err) {
      if (!(err instanceof TargetError && err.code === "notFound")) this.limited.warn(`daytona fs: ${err instanceof Error ? err.message : String(err)}`);
      throw toFileSystemError(err, uri);
    }
  }

  private fire(...events: vscode.FileChangeEvent[]): void {
    this.pending.push(...events);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const batch = this.pending;
      this.pending = [];
      this.emitter.fire(batch);
    }, 5);
  }

  private parentUri(uri: vscode.Uri): vscode.Uri {
    return uri.with({ path: path.posix.dirname(uri.path) });
  }

  private changed(uri: vscode.Uri, type: vscode.FileChangeType): void {
    this.cache.invalidate(uri.authority, uri.path);
    this.fire({ type, uri }, { type: vscode.FileChangeType.Changed, uri: this.parentUri(uri) });
  }

  watch(uri: vscode.Uri, options: { readonly recursive: boolean; readonly excludes: readonly string[] }): vscode.Disposable {
    return this.watcher.watch(uri, options.recursive);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const cached = this.cache.get(uri.authority, uri.path);
    if (cached) return toFileStat(cached);
    return this.op(uri, async (t) => {
      const s = await t.stat(uri.path);
      this.cache.put(uri.authority, uri.path, s);
      return toFileStat(s);
    });
  }

  private listFresh(uri: vscode.Uri): Promise<Array<[string, RemoteStat]>> {
    return this.op(uri, async (t) => {
      const entries = await t.list(uri.path);
      this.cache.putListing(uri.authority, uri.path, entries);
      return entries;
    });
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const entries = await this.listFresh(uri);
    return entries.map(([name, s]) => [name, s.type]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.op(uri, (t) => t.read(uri.path, this.cache.get(uri.authority, uri.path)?.size));
  }

  private async existing(t: Target, uri: vscode.Uri): Promise<RemoteStat | undefined> {
    const cached = this.cache.get(uri.authority, uri.path);
    if (cached) return cached;
    try {
      return await t.stat(uri.path);
    } catch (err) {
      if (err instanceof TargetError && err.code === "notFound") return undefined;
      throw err;
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): Promise<void> {
    let created = false;
    await this.op(uri, async (t) => {
      const old = await this.existing(t, uri);
      if (old && old.type & FileKind.Directory) throw vscode.FileSystemError.FileIsADirectory(uri);
      if (old && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
      if (!old && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
      if (!old) {
        const parent = await this.existing(t, this.parentUri(uri));
        if (!parent) throw vscode.FileSystemError.FileNotFound(this.parentUri(uri));
      }
      created = !old;
      await t.write(uri.path, content, old?.mode);
    });
    this.changed(uri, created ? vscode.FileChangeType.Created : vscode.FileChangeType.Changed);
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    await this.op(uri, async (t) => {
      if (await this.existing(t, uri)) throw vscode.FileSystemError.FileExists(uri);
      if (!(await this.existing(t, this.parentUri(uri)))) throw vscode.FileSystemError.FileNotFound(this.parentUri(uri));
      await t.mkdir(uri.path);
    });
    this.changed(uri, vscode.FileChangeType.Created);
  }

  async delete(uri: vscode.Uri, options: { readonly recursive: boolean }): Promise<void> {
    await this.op(uri, async (t) => {
      const s = await this.existing(t, uri);
      if (!s) throw vscode.FileSystemError.FileNotFound(uri);
      if (s.type & FileKind.Directory && !options.recursive && (await t.list(uri.path)).length > 0) {
        throw vscode.FileSystemError.NoPermissions(`${uri.toString(true)} is not empty`);
      }
      await t.remove(uri.path, options.recursive);
    });
    this.changed(uri, vscode.FileChangeType.Deleted);
  }

  private async moveOrCopy(kind: "rename" | "copy", from: vscode.Uri, to: vscode.Uri, overwrite: boolean): Promise<void> {
    if (from.authority !== to.authority) throw vscode.FileSystemError.NoPermissions("moving or copying between sandboxes is not supported; download and upload instead");
    await this.op(from, async (t) => {
      if (!(await this.existing(t, from))) throw vscode.FileSystemError.FileNotFound(from);
      const target = await this.existing(t, to);
      if (target && !overwrite) throw vscode.FileSystemError.FileExists(to);
      if (!target && !(await this.existing(t, this.parentUri(to)))) throw vscode.FileSystemError.FileNotFound(this.parentUri(to));
      if (target) await t.remove(to.path, true);
      if (kind === "rename") await t.rename(from.path, to.path);
      else await t.copy(from.path, to.path);
    });
    if (kind === "rename") this.changed(from, vscode.FileChangeType.Deleted);
    this.changed(to, vscode.FileChangeType.Created);
  }

  rename(from: vscode.Uri, to: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    return this.moveOrCopy("rename", from, to, options.overwrite);
  }

  copy(from: vscode.Uri, to: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    return this.moveOrCopy("copy", from, to, options.overwrite);
  }

  dispose(): void {
    this.watcher.dispose();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.emitter.dispose();
  }
}
