// One place that decides when the views fetch: every trigger (a command, an event, a timer, the view
// becoming visible) goes through request(), which debounces, merges overlapping fetches into one
// follow-up, and does nothing while the views are hidden. Polling runs only while visible and only
// when push events are not available.

export interface RefresherOptions {
  debounceMs: number;
  /** Poll interval while visible without push; 0 turns polling off. */
  pollMs: number;
  onError?: (err: unknown) => void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class Refresher {
  private visible = false;
  private push = false;
  private disposed = false;
  private inFlight: Promise<void> | undefined;
  private again = false;
  /** A request arrived while hidden: fetch as soon as a view shows. */
  private stale = true;
  private debounceTimer: unknown;
  private pollTimer: unknown;

  constructor(
    private readonly fetch: () => Promise<void>,
    private options: RefresherOptions,
    private readonly timers: Timers = realTimers,
  ) {}

  setVisible(visible: boolean): void {
    if (this.visible === visible) return;
    this.visible = visible;
    if (visible && this.stale) this.request();
    this.schedulePoll();
  }

  setPushActive(active: boolean): void {
    this.push = active;
    this.schedulePoll();
  }

  setPollMs(ms: number): void {
    this.options = { ...this.options, pollMs: ms };
    this.schedulePoll();
  }

  /** Ask for a fresh list. Coalesced; ignored (but remembered) while hidden. */
  request(): void {
    if (this.disposed) return;
    this.stale = true;
    if (!this.visible) return;
    if (this.debounceTimer !== undefined) return;
    this.debounceTimer = this.timers.setTimeout(() => {
      this.debounceTimer = undefined;
      void this.run();
    }, this.options.debounceMs);
  }

  /** Fetch now (no debounce); resolves when the fetch it joined or started is done. */
  async now(): Promise<void> {
    // This fetch answers any request still waiting out its debounce.
    if (this.debounceTimer !== undefined) this.timers.clearTimeout(this.debounceTimer);
    this.debounceTimer = undefined;
    this.stale = true;
    await this.run();
  }

  private async run(): Promise<void> {
    if (this.disposed) return;
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.stale = false;
    this.inFlight = this.fetch()
      .catch((err) => this.options.onError?.(err))
      .finally(() => {
        this.inFlight = undefined;
        if (this.again && !this.disposed) {
          this.again = false;
          void this.run();
        }
      });
    await this.inFlight;
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.pollTimer !== undefined) this.timers.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (this.disposed || !this.visible || this.push || this.options.pollMs <= 0) return;
    this.pollTimer = this.timers.setTimeout(() => {
      this.pollTimer = undefined;
      this.request();
    }, this.options.pollMs);
  }

  dispose(): void {
    this.disposed = true;
    if (this.debounceTimer !== undefined) this.timers.clearTimeout(this.debounceTimer);
    if (this.pollTimer !== undefined) this.timers.clearTimeout(this.pollTimer);
  }
}
