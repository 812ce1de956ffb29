// Short-lived cache of what a folder listing said about each child, so the stat calls VS Code makes
// right after a readDirectory (and the open of a file just listed) cost no request. Entries expire
// after `ttlMs`; any write through the file system invalidates the path and its parent folder.
import type { RemoteStat } from "./target";

function parentOf(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

function join(dir: string, name: string): string {
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

export class StatCache {
  private entries = new Map<string, { stat: RemoteStat; at: number }>();

  constructor(
    private readonly ttlMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  /** key: "<target key>:<path>" so several targets share one cache. */
  private k(target: string, path: string): string {
    return `${target}:${path}`;
  }

  get(target: string, path: string): RemoteStat | undefined {
    const e = this.entries.get(this.k(target, path));
    if (!e) return undefined;
    if (this.now() - e.at > this.ttlMs) {
      this.entries.delete(this.k(target, path));
      return undefined;
    }
    return e.stat;
  }

  put(target: string, path: string, stat: RemoteStat): void {
    this.entries.set(this.k(target, path), { stat, at: this.now() });
  }

  putListing(target: string, dir: string, children: Array<[string, RemoteStat]>): void {
    for (const [name, stat] of children) this.put(target, join(dir, name), stat);
  }

  /** Forget a path, everything below it, and its parent's entry (its mtime changed). */
  invalidate(target: string, path: string): void {
    const prefix = this.k(target, path.endsWith("/") ? path : `${path}/`);
    for (const key of this.entries.keys()) if (key === this.k(target, path) || key.startsWith(prefix)) this.entries.delete(key);
    this.entries.delete(this.k(target, parentOf(path)));
  }

  clear(): void {
    this.entries.clear();
  }
}
