// The interval-driven transitions Daytona's sandbox manager makes, acted on by a timer:
// - auto-stop: a started sandbox with autoStopInterval > 0 and no activity (API calls that touch it,
//   toolbox requests, refreshActivity) for that many minutes is stopped; 0 disables it.
// - auto-archive: a stopped sandbox untouched for autoArchiveInterval minutes is archived; 0 means
//   Daytona's maximum (30 days).
// - auto-delete: a stopped sandbox untouched for autoDeleteInterval minutes is deleted; 0 deletes it
//   as soon as it stops, a negative value disables it. (Daytona checks stopped sandboxes only, so an
//   archived sandbox is not auto-deleted.)
// Each goes through the same transitions as the user's own call, so the same state events are pushed
// (started -> stopping -> stopped, stopped -> archiving -> archived, stopped -> destroying -> destroyed).
// `minuteMs` is how long a "minute" is: 60000 normally, shorter in tests.
import type { SandboxRecord } from "../store/records";
import type { ApiContext } from "./context";
import { archiveSandbox, stopSandbox } from "./sandboxActions";
import { deleteSandbox } from "./sandboxes";

export const MAX_AUTO_ARCHIVE_MINUTES = 30 * 24 * 60;

export type AutoAction = "stop" | "archive" | "delete";

/** What the sandbox manager would do to this sandbox now (pure; tested as a table). */
export function dueAction(rec: SandboxRecord, nowMs: number, minuteMs: number): AutoAction | undefined {
  const idleMs = nowMs - Date.parse(rec.lastActivityAt);
  if (!Number.isFinite(idleMs)) return undefined;
  if (rec.state === "started") {
    return rec.autoStopInterval > 0 && idleMs >= rec.autoStopInterval * minuteMs ? "stop" : undefined;
  }
  if (rec.state !== "stopped") return undefined;
  if (rec.autoDeleteInterval >= 0 && idleMs >= rec.autoDeleteInterval * minuteMs) return "delete";
  const archiveAfter = rec.autoArchiveInterval > 0 ? rec.autoArchiveInterval : MAX_AUTO_ARCHIVE_MINUTES;
  return idleMs >= archiveAfter * minuteMs ? "archive" : undefined;
}

/** Starts the timer; returns a function that stops it. */
export function startAutoLifecycle(ctx: ApiContext): () => void {
  // Check a few times per "minute", at most every 10 s, at least every 20 ms.
  const tickMs = Math.max(20, Math.min(10_000, Math.floor(ctx.minuteMs / 4)));
  const busy = new Set<string>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const rec of ctx.store.sandboxes.values()) {
      if (busy.has(rec.id) || ctx.inUse.has(rec.id)) continue;
      const action = dueAction(rec, now, ctx.minuteMs);
      if (!action) continue;
      busy.add(rec.id);
      ctx.background(`auto-${action} ${rec.id}`, async () => {
        try {
          ctx.log(`sandbox ${rec.id}: auto-${action} (${describe(rec, action)})`);
          if (action === "stop") await stopSandbox(ctx, rec);
          else if (action === "archive") await archiveSandbox(ctx, rec);
          else await deleteSandbox(ctx, rec);
        } finally {
          busy.delete(rec.id);
        }
      });
    }
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}

function describe(rec: SandboxRecord, action: AutoAction): string {
  if (action === "stop") return `idle for ${rec.autoStopInterval} min`;
  if (action === "delete") return `stopped for ${rec.autoDeleteInterval} min`;
  return `stopped for ${rec.autoArchiveInterval || MAX_AUTO_ARCHIVE_MINUTES} min`;
}
