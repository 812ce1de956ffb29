// Counters of what reached the server: requests by "METHOD /route/:pattern", bytes both ways.
export interface Stats {
  requests: number;
  byRoute: Record<string, number>;
  bytesIn: number;
  bytesOut: number;
  wsUpgrades: number;
  wsBytesIn: number;
  wsBytesOut: number;
  faults: { injected5xx: number; droppedWs: number };
  since: string;
}

export class StatsCounter {
  private s: Stats = StatsCounter.empty();

  static empty(): Stats {
    return { requests: 0, byRoute: {}, bytesIn: 0, bytesOut: 0, wsUpgrades: 0, wsBytesIn: 0, wsBytesOut: 0, faults: { injected5xx: 0, droppedWs: 0 }, since: new Date().toISOString() };
  }

  request(route: string): void {
    this.s.requests++;
    this.s.byRoute[route] = (this.s.byRoute[route] ?? 0) + 1;
  }

  bytes(dir: "in" | "out", n: number): void {
    if (dir === "in") this.s.bytesIn += n;
    else this.s.bytesOut += n;
  }

  ws(dir: "in" | "out", n: number): void {
    if (dir === "in") this.s.wsBytesIn += n;
    else this.s.wsBytesOut += n;
  }

  upgrade(route: string): void {
    this.s.wsUpgrades++;
    this.request(route);
  }

  fault(kind: "injected5xx" | "droppedWs"): void {
    this.s.faults[kind]++;
  }

  snapshot(): Stats {
    return JSON.parse(JSON.stringify(this.s)) as Stats;
  }

  reset(): void {
    this.s = StatsCounter.empty();
  }
}

/** Replace ids and numbers in a path with ":param" so toolbox and proxy routes group sensibly. */
export function routePattern(path: string): string {
  return path
    .split("/")
    .map((seg) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(seg) ? ":id" : /^\d+$/.test(seg) ? ":n" : seg))
    .join("/");
}
