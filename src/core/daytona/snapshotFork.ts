// Snapshot a sandbox and fork it: names suggested and validated here, the SDK does the work. Forks
// carry their parent's labels plus FORKED_FROM_LABEL, so they group with it and show under it.
import type { DaytonaClient } from "./client";
import { toDaytonaError } from "./errors";
import { FORKED_FROM_LABEL, toSandboxRecord, type SandboxRecord } from "./records";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function validateName(name: string, existing: ReadonlySet<string> = new Set()): string | undefined {
  if (!NAME.test(name)) return "Letters, digits, . _ - (up to 63), starting with a letter or digit";
  if (existing.has(name)) return `"${name}" is taken`;
  return undefined;
}

/** "<sandbox>-20261123-1412", cut so the whole stays a valid name. */
export function suggestSnapshotName(sandboxName: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  const base = sandboxName.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 63 - stamp.length - 1) || "snapshot";
  return `${base}-${stamp}`;
}

/** n fork names "<base>-fork-1..", skipping names already used. */
export function forkNames(base: string, n: number, existing: ReadonlySet<string>): string[] {
  const stem = base.slice(0, 50);
  const out: string[] = [];
  for (let i = 1; out.length < n && i < n + existing.size + 2; i++) {
    const name = `${stem}-fork-${i}`;
    if (!existing.has(name)) out.push(name);
  }
  return out;
}

export async function snapshotSandbox(client: DaytonaClient, sandboxId: string, name: string, timeoutSeconds = 600): Promise<void> {
  const sdk = await client.toolbox(sandboxId);
  try {
    await sdk.createSnapshot(name, timeoutSeconds);
  } catch (err) {
    throw toDaytonaError(err);
  }
}

/**
 * Fork, then label the fork as its parent's child. Round trips: the fork POST, the SDK's first state
 * check while it waits for "started" (a pushed event ends the wait), and the labels PUT (Daytona's fork
 * takes only a name, so the labels cannot ride on it).
 *
 * The record comes from the fork object and the PUT's answer, without a fresh GET. It carries no
 * updatedAt: the fork object's is the POST's, older than the "started" event the view already holds,
 * so SandboxStore.upsert would drop the record and with it the labels. Without one the upsert applies;
 * the started event was pushed before the PUT was sent, so it cannot arrive after and undo it.
 */
export async function forkSandbox(client: DaytonaClient, parent: SandboxRecord, name: string, timeoutSeconds = 300): Promise<SandboxRecord> {
  const sdk = await client.toolbox(parent.id);
  try {
    const fork = await sdk.fork({ name }, timeoutSeconds);
    const labels = await fork.setLabels({ ...parent.labels, [FORKED_FROM_LABEL]: parent.id });
    return { ...toSandboxRecord(fork), labels: { ...labels }, parentId: parent.id, updatedAt: undefined };
  } catch (err) {
    throw toDaytonaError(err);
  }
}
