// Build logs kept in memory per build (sandbox or snapshot id) and followed by HTTP streams.
import type { ServerResponse } from "node:http";

interface Log {
  text: string;
  ended: boolean;
  followers: Set<ServerResponse>;
}

export class BuildLogs {
  private readonly logs = new Map<string, Log>();

  start(id: string): void {
    this.logs.set(id, { text: "", ended: false, followers: new Set() });
  }

  append(id: string, text: string): void {
    const log = this.logs.get(id);
    if (!log || log.ended) return;
    log.text += text;
    for (const res of log.followers) res.write(text);
  }

  end(id: string): void {
    const log = this.logs.get(id);
    if (!log || log.ended) return;
    log.ended = true;
    for (const res of log.followers) res.end();
    log.followers.clear();
  }

  has(id: string): boolean {
    return this.logs.has(id);
  }

  /** Send what is there; with follow, keep the answer open until the build ends. */
  serve(id: string, res: ServerResponse, follow: boolean): void {
    const log = this.logs.get(id);
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache" });
    if (!log) {
      res.end();
      return;
    }
    if (log.text) res.write(log.text);
    if (!follow || log.ended) {
      res.end();
      return;
    }
    log.followers.add(res);
    res.on("close", () => log.followers.delete(res));
  }

  closeAll(): void {
    for (const id of this.logs.keys()) this.end(id);
  }
}
