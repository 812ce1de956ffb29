// Metrics for tooltips: fetched on hover only, one request per sandbox at a time, and reused for a few
// seconds so moving the mouse over the tree does not turn into a stream of requests.
import type { SandboxMetrics } from "./volumes";

export class MetricsCache {
  private readonly entries = new Map<string, { at: number; value: Promise<SandboxMetrics> }>();

  constructor(
    private readonly fetch: (id: string) => Promise<SandboxMetrics>,
    private readonly ttlMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): Promise<SandboxMetrics> {
    const held = this.entries.get(id);
    if (held && this.now() - held.at < this.ttlMs) return held.value;
    const value = this.fetch(id);
    const entry = { at: this.now(), value };
    this.entries.set(id, entry);
    // A failure is not kept: the next hover asks again.
    value.catch(() => {
      if (this.entries.get(id) === entry) this.entries.delete(id);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
