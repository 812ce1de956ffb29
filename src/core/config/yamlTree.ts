// YAML -> a small positioned tree: every node keeps its line and column, aliases and merge keys (<<)
// are resolved, and string values are interpolated on the way. The rest of the planner reads only this
// tree, so it never has to know the yaml package's node classes.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import { field, type Pos, type Reporter } from "./diagnostics";

export type ScalarValue = string | number | boolean | null;
/** Compose's merge tags: `!reset` removes what earlier files set, `!override` replaces it instead of merging. */
export type MergeTag = "reset" | "override";
export interface PScalar {
  kind: "scalar";
  tag?: MergeTag;
  value: ScalarValue;
  pos: Pos;
  /** The text held ${...}: typed readers then accept "2" for 2 and "true" for true, like Compose. */
  interpolated: boolean;
}
export interface PSeq {
  kind: "seq";
  tag?: MergeTag;
  items: PNode[];
  pos: Pos;
}
export interface PEntry {
  key: string;
  keyPos: Pos;
  value: PNode;
}
export interface PMap {
  kind: "map";
  tag?: MergeTag;
  entries: Map<string, PEntry>;
  pos: Pos;
}
export type PNode = PScalar | PSeq | PMap;

/** Replaces a string scalar's text, or returns an error message; `pos` is where the text is (for warnings). */
export type Interpolator = (text: string, pos: Pos, path: (string | number)[]) => { value: string } | { error: string };

const MERGE_TAGS: Record<string, MergeTag> = { "!reset": "reset", "!override": "override" };

const MAX_DEPTH = 64;
const MAX_NODES = 100_000; // aliases can multiply a small file ("billion laughs")

export function parseYamlTree(text: string, file: string, report: Reporter, interpolate?: Interpolator): PNode | undefined {
  const lc = new LineCounter();
  const at = (offset: number | undefined): Pos => {
    const p = lc.linePos(offset ?? 0);
    return { line: p.line, column: p.col, file };
  };
  const docs = parseAllDocuments(text, { merge: true, uniqueKeys: true, prettyErrors: false, lineCounter: lc });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length === 0) {
    report.error(file, { line: 1, column: 1 }, "", "the file is empty");
    return undefined;
  }
  let failed = false;
  for (const doc of list) {
    for (const e of doc.errors) {
      report.error(file, at(e.pos[0]), "", `YAML: ${firstLine(e.message)}`);
      failed = true;
    }
    for (const w of doc.warnings) if (!/Unresolved tag: !(reset|override)\b/.test(w.message)) report.warning(file, at(w.pos[0]), "", `YAML: ${firstLine(w.message)}`);
  }
  if (list.length > 1) {
    report.error(file, at(list[1].range[0]), "", "more than one YAML document: a compose file holds exactly one");
    failed = true;
  }
  if (failed) return undefined;
  const doc = list[0];
  if (doc.contents === null) {
    report.error(file, { line: 1, column: 1 }, "", "the file is empty");
    return undefined;
  }
  const walker = new Walker(doc, file, report, at, interpolate);
  const tree = walker.node(doc.contents as Node, [], 0);
  return walker.stopped ? undefined : tree; // a cut-off tree would only cause misleading follow-on errors
}

function firstLine(s: string): string {
  return s.split("\n")[0].trim();
}

class Walker {
  private count = 0;
  stopped = false;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly file: string,
    private readonly report: Reporter,
    private readonly at: (offset: number | undefined) => Pos,
    private readonly interpolate?: Interpolator,
  ) {}

  node(raw: unknown, path: (string | number)[], depth: number): PNode | undefined {
    if (this.stopped) return undefined;
    if (++this.count > MAX_NODES) {
      this.stopped = true;
      this.report.error(this.file, this.at(rangeStart(raw)), field(...path.slice(0, 6)), `more than ${MAX_NODES} values after expanding aliases`);
      return undefined;
    }
    if (depth > MAX_DEPTH) {
      this.stopped = true;
      this.report.error(this.file, this.at(rangeStart(raw)), `${field(...path.slice(0, 6))}...`, `nested more than ${MAX_DEPTH} levels deep (or an alias that contains itself)`);
      return undefined;
    }
    let n = raw;
    if (isAlias(n)) {
      const alias = n;
      n = alias.resolve(this.doc);
      if (n === undefined) {
        this.report.error(this.file, this.at(rangeStart(raw)), field(...path.slice(0, 6)), `the alias *${alias.source} names no anchor (&${alias.source}) defined before it`);
        return undefined;
      }
    }
    if (n === null || n === undefined) return { kind: "scalar", value: null, pos: this.at(rangeStart(raw)), interpolated: false };
    const pos = this.at(rangeStart(raw));
    const tag = (n as { tag?: string }).tag;
    const t = tag !== undefined && Object.prototype.hasOwnProperty.call(MERGE_TAGS, tag) ? MERGE_TAGS[tag] : undefined;
    const tagged = <T extends PNode>(p: T): T => (t ? { ...p, tag: t } : p);
    if (isScalar(n)) return tagged(t === "reset" ? { kind: "scalar", value: null, pos, interpolated: false } : this.scalar(n.value, pos, path));
    if (isSeq(n)) {
      const items: PNode[] = [];
      n.items.forEach((item, i) => {
        const c = this.node(item, [...path, i], depth + 1);
        if (c) items.push(c);
      });
      return tagged<PSeq>({ kind: "seq", items, pos });
    }
    if (isMap(n)) return tagged(this.map(n.items, pos, path, depth));
    this.report.error(this.file, pos, field(...path), "unsupported YAML node");
    return undefined;
  }

  private scalar(value: unknown, pos: Pos, path: (string | number)[]): PScalar {
    if (typeof value === "string" && this.interpolate && value.includes("$")) {
      const r = this.interpolate(value, pos, path);
      if ("error" in r) {
        this.report.error(this.file, pos, field(...path), r.error);
        return { kind: "scalar", value, pos, interpolated: false };
      }
      return { kind: "scalar", value: r.value, pos, interpolated: r.value !== value };
    }
    const v: ScalarValue = value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : String(value);
    return { kind: "scalar", value: v, pos, interpolated: false };
  }

  private map(pairs: { key: unknown; value: unknown }[], pos: Pos, path: (string | number)[], depth: number): PMap {
    const entries = new Map<string, PEntry>();
    const merges: { value: unknown; pos: Pos }[] = [];
    for (const pair of pairs) {
      const keyPos = this.at(rangeStart(pair.key));
      if (isScalar(pair.key) && typeof pair.key.value === "symbol") {
        merges.push({ value: pair.value, pos: keyPos });
        continue;
      }
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) {
        this.report.error(this.file, keyPos, field(...path), "keys must be plain strings");
        continue;
      }
      const value = this.node(pair.value, [...path, key], depth + 1);
      if (value) entries.set(key, { key, keyPos, value });
    }
    // Merge keys: explicit keys win, then earlier sources over later ones (YAML merge-key rules).
    for (const m of merges) {
      const src = this.node(m.value, path, depth + 1);
      const sources = src?.kind === "seq" ? src.items : src ? [src] : [];
      for (const s of sources) {
        if (s.kind !== "map") {
          this.report.error(this.file, m.pos, field(...path), "a merge key (<<) needs a mapping or a list of mappings");
          continue;
        }
        for (const [k, e] of s.entries) if (!entries.has(k)) entries.set(k, e);
      }
    }
    return { kind: "map", entries, pos };
  }
}

function rangeStart(n: unknown): number | undefined {
  const r = (n as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? r[0] : undefined;
}
