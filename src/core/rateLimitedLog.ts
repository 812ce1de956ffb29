// Logs rate-limited per cause: the first line of a cause is written, repeats within the window are
// counted, and the next line written for that cause says how many were left out. A stopped sandbox
// watched by nine editors, or a dead server polled every second, is then one line a minute, not
// hundreds. Pure: the clock is a parameter.
import type { Logger } from "./logger";

export const DEFAULT_WINDOW_MS = 60_000;

/** Paths, numbers and hex ids vary between repeats of one cause; they are not part of it. */
export function causeKey(message: string): string {
  return message
    .replace(/(?:\/[^\s:'"]*)+/g, "<path>")
    .replace(/\b[0-9a-f]{8,}\b/gi, "<id>")
    .replace(/\d+/g, "<n>");
}

export class RateLimitedLog {
  private readonly seen = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Pick<Logger, "warn" | "error" | "info">,
    private readonly windowMs = DEFAULT_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  warn(message: string, key = causeKey(message)): void {
    this.write("warn", message, key);
  }

  error(message: string, key = causeKey(message)): void {
    this.write("error", message, key);
  }

  /** Forget a cause (it was resolved), so its next occurrence is written at once. */
  reset(key?: string): void {
    if (key === undefined) this.seen.clear();
    else this.seen.delete(key);
  }

  private write(level: "warn" | "error", message: string, key: string): void {
    const t = this.now();
    const entry = this.seen.get(key);
    if (entry && t - entry.at < this.windowMs) {
      entry.suppressed++;
      return;
    }
    const more = entry?.suppressed ? ` (and ${entry.suppressed} more like it in the last ${Math.round((t - entry.at) / 1000)} s)` : "";
    this.seen.set(key, { at: t, suppressed: 0 });
    if (this.seen.size > 500) this.seen.delete(this.seen.keys().next().value as string);
    this.log[level](message + more);
  }
}
