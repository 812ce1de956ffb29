// Snapshot a sandbox and fork it: names suggested and validated here, the SDK does the work. Forks
// carry their parent's labels plus FORKED_FROM_LABEL, so they group with it and show under it.
import type { DaytonaClient } from "./client";
import { toDaytonaError } from "./errors";
import { FORKED_FROM_LABEL, type SandboxRecord } from "./records";

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

export async function forkSandbox(client: DaytonaClient, parent: SandboxRecord, name: string, timeoutSeconds = 300): Promise<SandboxRecord> {
  const sdk = await client.toolbox(parent.id);
  try {
    const fork = await sdk.fork({ name }, timeoutSeconds);
    await fork.setLabels({ ...parent.labels, [FORKED_FROM_LABEL]: parent.id });
    // A fresh read: the fork object's updatedAt predates its state events and label change.
    return await client.getSandbox(fork.id);
  } catch (err) {
    throw toDaytonaError(err);
  }
}
