// Watching remote folders costs requests, so it is cheap and bounded: only the watched folder itself
// (recursive watches look at their top folder only), one listing every few seconds, and only while
// the window has focus. Differences in the listing become change events. A folder that cannot be
// listed (its sandbox stopped, the server is down) is polled less and less often, up to once a minute.
import * as vscode from "vscode";
import type { RemoteStat } from "../core/targets/target";

const INTERVAL_MS = 5000;
const MAX_BACKOFF_MS = 60_000;

interface Watch {
  uri: vscode.Uri;
  last?: Map<string, string>;
  refs: number;
  failures?: number;
  /** Not polled before this time (after failures). */
  nextAt?: number;
}

export class FolderWatcher implements vscode.Disposable {
  private readonly watches = new Map<string, Watch>();
  private timer: NodeJS.Timeout | undefined;
  private readonly focus: vscode.Disposable;
  private busy = false;

  constructor(
    private readonly list: (uri: vscode.Uri) => Promise<Array<[string, RemoteStat]>>,
    private readonly emit: (events: vscode.FileChangeEvent[]) => void,
  ) {
    this.focus = vscode.window.onDidChangeWindowState(() => this.schedule());
  }

  watch(uri: vscode.Uri, _recursive: boolean): vscode.Disposable {
    const key = uri.toString();
    const w = this.watches.get(key) ?? { uri, refs: 0 };
    w.refs++;
    this.watches.set(key, w);
    this.schedule();
    return new vscode.Disposable(() => {
      if (--w.refs <= 0) this.watches.delete(key);
      this.schedule();
    });
  }

  private schedule(): void {
    const active = this.watches.size > 0 && vscode.window.state.focused;
    if (active && !this.timer) this.timer = setInterval(() => void this.tick(), INTERVAL_MS);
    if (!active && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const w of [...this.watches.values()]) {
        if (w.nextAt && Date.now() < w.nextAt) continue;
        const entries = await this.list(w.uri).catch(() => undefined);
        if (!entries) {
          w.failures = (w.failures ?? 0) + 1;
          w.nextAt = Date.now() + Math.min(INTERVAL_MS * 2 ** w.failures, MAX_BACKOFF_MS);
          continue;
        }
        w.failures = 0;
        w.nextAt = undefined;
        const now = new Map(entries.map(([name, s]) => [name, `${s.type}:${s.size}:${s.mtime}`]));
        if (w.last) this.emit(diff(w.uri, w.last, now));
        w.last = now;
      }
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.focus.dispose();
    this.watches.clear();
  }
}

function diff(dir: vscode.Uri, before: Map<string, string>, after: Map<string, string>): vscode.FileChangeEvent[] {
  const child = (name: string) => vscode.Uri.joinPath(dir, name);
  const events: vscode.FileChangeEvent[] = [];
  for (const [name, sig] of after) {
    if (!before.has(name)) events.push({ type: vscode.FileChangeType.Created, uri: child(name) });
    else if (before.get(name) !== sig) events.push({ type: vscode.FileChangeType.Changed, uri: child(name) });
  }
  for (const name of before.keys()) if (!after.has(name)) events.push({ type: vscode.FileChangeType.Deleted, uri: child(name) });
  return events;
}
