// What a command was given. A command run from a view's title, an inline button or a context menu
// gets the clicked item (or the view's selection, or nothing) as its first argument; from the palette
// it gets nothing; from code it gets what the caller passes. Each command reads only the shape it
// understands and treats anything else as "not given", so a tree node never lands in a setting.
import type { SnapshotRecord } from "../core/daytona/records";
import type { TreeNode } from "../core/tree/sandboxTree";

export function stringArg(x: unknown): string | undefined {
  return typeof x === "string" ? x : undefined;
}

export function oneOf<T extends string>(x: unknown, allowed: readonly T[]): T | undefined {
  return typeof x === "string" && (allowed as readonly string[]).includes(x) ? (x as T) : undefined;
}

export function stringArrayArg(x: unknown): string[] | undefined {
  return Array.isArray(x) && x.every((v) => typeof v === "string") ? (x as string[]) : undefined;
}

export function isTreeNode(x: unknown): x is TreeNode {
  const k = (x as { kind?: unknown } | null)?.kind;
  return typeof x === "object" && x !== null && (k === "group" || k === "sandbox" || k === "service") && typeof (x as { id?: unknown }).id === "string";
}

/** A snapshot record as the Snapshots view hands it over (it has no `kind`, unlike tree nodes). */
export function isSnapshotRecord(x: unknown): x is SnapshotRecord {
  if (typeof x !== "object" || x === null || isTreeNode(x)) return false;
  const r = x as Partial<SnapshotRecord>;
  return typeof r.id === "string" && typeof r.name === "string" && typeof r.state === "string" && typeof r.general === "boolean";
}
