// GET /sandbox: filters (labels JSON, states, name, id, snapshots) and cursor pagination,
// newest first. The cursor names the last item served, so creates between pages do not shift it.
import { HttpError } from "../http/util";
import type { SandboxRecord } from "../store/records";
import type { ApiContext } from "./context";
import { sandboxDto } from "./dto";

export function listSandboxes(ctx: ApiContext, query: URLSearchParams): { items: Record<string, unknown>[]; nextCursor: string | null } {
  const limit = clampLimit(query.get("limit"));
  const labels = parseLabels(query.get("labels"));
  const states = query.getAll("states").flatMap((s) => s.split(",")).filter(Boolean);
  const snapshots = query.getAll("snapshots").filter(Boolean);
  const name = query.get("name");
  const id = query.get("id");
  let items = [...ctx.store.sandboxes.values()].filter(
    (s) =>
      (!states.length || states.includes(s.state)) &&
      (!snapshots.length || (s.snapshot !== undefined && snapshots.includes(s.snapshot))) &&
      (!name || s.name.includes(name)) &&
      (!id || s.id.startsWith(id)) &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  items.sort(compareNewestFirst);
  const cursor = query.get("cursor");
  if (cursor) {
    const after = decodeCursor(cursor);
    items = items.filter((s) => compareNewestFirst(s, after) > 0);
  }
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = items.length > limit && last ? encodeCursor(last) : null;
  return { items: page.map((s) => sandboxDto(ctx, s)), nextCursor };
}

function compareNewestFirst(a: Pick<SandboxRecord, "createdAt" | "id">, b: Pick<SandboxRecord, "createdAt" | "id">): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function clampLimit(raw: string | null): number {
  if (raw === null) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new HttpError(400, "limit must be an integer from 1 to 200");
  return n;
}

function parseLabels(raw: string | null): Record<string, string> {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, string>;
  } catch {
    // fall through
  }
  throw new HttpError(400, "labels must be a JSON object");
}

function encodeCursor(s: SandboxRecord): string {
  return Buffer.from(JSON.stringify([s.createdAt, s.id])).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    if (typeof createdAt === "string" && typeof id === "string") return { createdAt, id };
  } catch {
    // fall through
  }
  throw new HttpError(400, "invalid cursor");
}
