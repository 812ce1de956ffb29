// Records to tree nodes for the Sandboxes view: grouping by labels, filter, sort, forks under their
// parent, and the contextValue tags that menus match. Pure data, no vscode: the view only renders it.
import { TRANSITIONAL_STATES, type SandboxRecord, type SandboxState } from "../daytona/records";

export interface GroupNode {
  kind: "group";
  /** Stable across refreshes: built from the label path only. */
  id: string;
  key: string;
  value: string;
  /** Every label that defines this group, outermost first (for "clean up this group"). */
  selector: Record<string, string>;
  children: TreeNode[];
  /** Number of sandboxes in the group, forks included. */
  count: number;
}

export interface SandboxNode {
  kind: "sandbox";
  id: string;
  record: SandboxRecord;
  /** Forks of this sandbox (and, later, compose services). */
  children: TreeNode[];
  /** contextValue tags, e.g. ["sandbox", "started", "stoppable"]. */
  tags: string[];
}

/** One compose service running inside a Docker-in-Docker sandbox. */
export interface ServiceNode {
  kind: "service";
  id: string;
  sandboxId: string;
  name: string;
  /** The container's state as docker reports it (running, exited, ...). */
  state: string;
  children: TreeNode[];
  tags: string[];
}

export type TreeNode = GroupNode | SandboxNode | ServiceNode;

/** Compose services per sandbox id, as discovered. */
export type ServicesBySandbox = ReadonlyMap<string, ReadonlyArray<{ name: string; state: string }>>;

function serviceNodes(sandboxId: string, sandboxState: string, services: ServicesBySandbox | undefined): ServiceNode[] {
  return (services?.get(sandboxId) ?? []).map((sv) => ({
    kind: "service",
    id: `service:${sandboxId}+${sv.name}`,
    sandboxId,
    name: sv.name,
    state: sv.state,
    children: [],
    tags: ["service", sv.state, ...(sandboxState === "started" && sv.state === "running" ? ["terminal"] : [])],
  }));
}

export type SortKey = "name" | "created" | "state";

export interface TreeOptions {
  /** Label keys to group by, outermost first. Sandboxes without the key stay one level up. */
  groupBy: string[];
  sort: SortKey;
  /** Case-insensitive text matched against name, id, and `key=value` of every label. */
  text?: string;
  states?: SandboxState[];
}

export const DEFAULT_GROUP_BY = ["created_by", "inspect_run_id"];

const STATE_ORDER: SandboxState[] = ["started", "starting", "creating", "stopping", "stopped", "archiving", "archived", "error", "build_failed"];

/** What can be done with a sandbox in a given state; menus match these tags. */
export function actionTags(state: SandboxState): string[] {
  const tags: string[] = [];
  if (state === "started") tags.push("stoppable", "snapshotable", "forkable", "previewable", "terminal");
  if (state === "stopped" || state === "archived" || state === "error") tags.push("startable");
  if (state === "stopped") tags.push("archivable", "snapshotable");
  if (state !== "destroying" && state !== "destroyed") tags.push("deletable");
  if (TRANSITIONAL_STATES.has(state)) tags.push("busy");
  return tags;
}

export function contextValue(tags: string[]): string {
  return tags.map((t, i) => (i === 0 ? t : `+${t}`)).join("");
}

export function matches(record: SandboxRecord, options: Pick<TreeOptions, "text" | "states">): boolean {
  if (options.states?.length && !options.states.includes(record.state)) return false;
  const text = options.text?.trim().toLowerCase();
  if (!text) return true;
  const hay = [record.name, record.id, ...Object.entries(record.labels).map(([k, v]) => `${k}=${v}`)];
  return hay.some((h) => h.toLowerCase().includes(text));
}

function compare(sort: SortKey): (a: SandboxRecord, b: SandboxRecord) => number {
  const byName = (a: SandboxRecord, b: SandboxRecord) => a.name.localeCompare(b.name, undefined, { numeric: true }) || a.id.localeCompare(b.id);
  if (sort === "created") return (a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? "") || byName(a, b);
  if (sort === "state") {
    const rank = (s: SandboxState) => (STATE_ORDER.indexOf(s) + STATE_ORDER.length + 1) % (STATE_ORDER.length + 1);
    return (a, b) => rank(a.state) - rank(b.state) || byName(a, b);
  }
  return byName;
}

function sandboxNode(record: SandboxRecord, forksOf: Map<string, SandboxRecord[]>, cmp: (a: SandboxRecord, b: SandboxRecord) => number, services?: ServicesBySandbox): SandboxNode {
  const forks = (forksOf.get(record.id) ?? []).sort(cmp);
  return {
    kind: "sandbox",
    id: `sandbox:${record.id}`,
    record,
    children: [...serviceNodes(record.id, record.state, services), ...forks.map((f) => sandboxNode(f, forksOf, cmp, services))],
    tags: ["sandbox", record.state, ...actionTags(record.state)],
  };
}

function countSandboxes(nodes: TreeNode[]): number {
  return nodes.reduce((n, node) => n + (node.kind === "group" ? node.count : node.kind === "service" ? 0 : 1 + countSandboxes(node.children)), 0);
}

function group(records: SandboxRecord[], keys: string[], parent: GroupNode | undefined, leaf: (r: SandboxRecord) => SandboxNode): TreeNode[] {
  const [key, ...rest] = keys;
  if (key === undefined) return records.map(leaf);
  const byValue = new Map<string, SandboxRecord[]>();
  const without: SandboxRecord[] = [];
  for (const r of records) {
    const v = r.labels[key];
    if (v === undefined) without.push(r);
    else byValue.set(v, [...(byValue.get(v) ?? []), r]);
  }
  const groups: TreeNode[] = [...byValue.keys()]
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .map((value) => {
      const selector = { ...(parent?.selector ?? {}), [key]: value };
      const node: GroupNode = {
        kind: "group",
        id: `${parent ? `${parent.id}/` : "group:"}${encodeURIComponent(key)}=${encodeURIComponent(value)}`,
        key,
        value,
        selector,
        children: [],
        count: 0,
      };
      node.children = group(byValue.get(value) ?? [], rest, node, leaf);
      node.count = countSandboxes(node.children);
      return node;
    });
  return [...groups, ...group(without, rest, parent, leaf)];
}

/** Builds the Sandboxes view's tree. Records are filtered first; forks sit under a parent that is shown. */
export function buildSandboxTree(records: SandboxRecord[], options: TreeOptions, services?: ServicesBySandbox): TreeNode[] {
  const cmp = compare(options.sort);
  const shown = records.filter((r) => matches(r, options)).sort(cmp);
  const ids = new Set(shown.map((r) => r.id));
  const forksOf = new Map<string, SandboxRecord[]>();
  const roots: SandboxRecord[] = [];
  for (const r of shown) {
    if (r.parentId && r.parentId !== r.id && ids.has(r.parentId)) forksOf.set(r.parentId, [...(forksOf.get(r.parentId) ?? []), r]);
    else roots.push(r);
  }
  return group(roots, options.groupBy, undefined, (r) => sandboxNode(r, forksOf, cmp, services));
}

/** Parent links for getParent()/reveal(): node id -> parent node (undefined at the top). */
export function parentIndex(nodes: TreeNode[]): Map<string, TreeNode | undefined> {
  const index = new Map<string, TreeNode | undefined>();
  const walk = (list: TreeNode[], parent: TreeNode | undefined) => {
    for (const n of list) {
      index.set(n.id, parent);
      walk(n.children, n);
    }
  };
  walk(nodes, undefined);
  return index;
}

/** Every sandbox record under a node (a group's members, or a sandbox and its forks). */
export function sandboxesUnder(node: TreeNode): SandboxRecord[] {
  const own = node.kind === "sandbox" ? [node.record] : [];
  return [...own, ...node.children.flatMap(sandboxesUnder)];
}
