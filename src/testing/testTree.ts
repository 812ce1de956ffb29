// TestItems from result paths: one root per folder, nested items made as results arrive, TestRun
// states with messages at the failure's local line.
import * as vscode from "vscode";
import type { TestRef, TestResult } from "../core/testing";
import { itemPath, localLocation, pathId, type PathContext, type Segment } from "./itemPaths";

export class TestTree {
  private readonly roots = new Map<string, vscode.TestItem>();
  /** What each test item was reported as, for re-running it. */
  readonly refs = new WeakMap<vscode.TestItem, TestRef>();
  readonly folderOf = new WeakMap<vscode.TestItem, string>();
  /** Local file of file items (for "run this file"). */
  readonly fileOf = new WeakMap<vscode.TestItem, string>();

  constructor(private readonly controller: vscode.TestController) {}

  /** Keeps exactly these folders as roots (with their tags). */
  setRoots(folders: { folder: string; label: string }[]): void {
    const keep = new Set(folders.map((f) => f.folder));
    for (const [folder, item] of this.roots) {
      if (!keep.has(folder)) {
        this.controller.items.delete(item.id);
        this.roots.delete(folder);
      }
    }
    for (const f of folders) {
      if (this.roots.has(f.folder)) continue;
      const root = this.controller.createTestItem(`folder:${f.folder}`, f.label, vscode.Uri.file(f.folder));
      root.description = "Daytona sandbox";
      this.folderOf.set(root, f.folder);
      this.roots.set(f.folder, root);
      this.controller.items.add(root);
    }
  }

  root(folder: string): vscode.TestItem | undefined {
    return this.roots.get(folder);
  }

  /** Items of a local test file (outside fork subtrees), for a run of that file alone. */
  fileItems(folder: string, file: string): vscode.TestItem[] {
    return this.find(folder, (i) => this.fileOf.get(i) === file, true);
  }

  /** Items last reported as these tests (outside fork subtrees), for a re-run of them. */
  testItems(folder: string, tests: readonly TestRef[]): vscode.TestItem[] {
    const key = (t: TestRef) => [t.file ?? "", ...t.suite, t.name].join("\0");
    const want = new Set(tests.map(key));
    return this.find(folder, (i) => {
      const ref = this.refs.get(i);
      return ref !== undefined && want.has(key(ref));
    }, false);
  }

  private find(folder: string, match: (i: vscode.TestItem) => boolean, stopAtMatch: boolean): vscode.TestItem[] {
    const found: vscode.TestItem[] = [];
    const walk = (item: vscode.TestItem) =>
      item.children.forEach((c) => {
        if (c.id.includes("fork:")) return;
        if (match(c)) {
          found.push(c);
          if (stopAtMatch) return;
        }
        walk(c);
      });
    const root = this.roots.get(folder);
    if (root) walk(root);
    return found;
  }

  /** Removes the "fork <name>" subtrees of a folder (before a new fan-out). */
  clearForks(folder: string): void {
    const root = this.roots.get(folder);
    if (!root) return;
    root.children.forEach((c) => {
      if (c.id.includes("fork:")) root.children.delete(c.id);
    });
  }

  /** The item for a result, creating the path to it. */
  itemFor(folder: string, r: TestResult, ctx: PathContext): vscode.TestItem | undefined {
    const root = this.roots.get(folder);
    if (!root) return undefined;
    const segments = itemPath(r, ctx);
    let parent = root;
    for (let i = 0; i < segments.length; i++) parent = this.child(parent, segments[i], pathId(root.id, segments.slice(0, i + 1)), folder);
    this.refs.set(parent, { name: r.name, suite: r.suite, ...(r.file !== undefined ? { file: r.file } : {}) });
    return parent;
  }

  private child(parent: vscode.TestItem, seg: Segment, id: string, folder: string): vscode.TestItem {
    const existing = parent.children.get(id);
    const range = seg.line !== undefined ? new vscode.Range(seg.line - 1, 0, seg.line - 1, 0) : undefined;
    if (existing && (existing.uri || !seg.file)) {
      if (range && existing.uri?.fsPath === seg.file) existing.range = range;
      return existing;
    }
    // A uri cannot be set later: an item that now has a file is made again, keeping its children.
    const item = this.controller.createTestItem(id, seg.label, seg.file ? vscode.Uri.file(seg.file) : undefined);
    if (range) item.range = range;
    item.tags = parent.tags;
    if (existing) item.children.replace([...iterate(existing.children)]);
    if (seg.key.startsWith("file:") && seg.file) this.fileOf.set(item, seg.file);
    this.folderOf.set(item, folder);
    parent.children.add(item);
    return item;
  }
}

function iterate(c: vscode.TestItemCollection): vscode.TestItem[] {
  const all: vscode.TestItem[] = [];
  c.forEach((i) => all.push(i));
  return all;
}

/** Puts one result on the run. */
export function reportResult(run: vscode.TestRun, item: vscode.TestItem, r: TestResult, ctx: PathContext): void {
  if (r.status === "passed") return run.passed(item, r.durationMs);
  if (r.status === "skipped") return run.skipped(item);
  const text = r.message ?? "failed";
  const msg = r.expected !== undefined && r.actual !== undefined ? vscode.TestMessage.diff(text, r.expected, r.actual) : new vscode.TestMessage(text);
  const at = localLocation(r.location, ctx);
  if (at) msg.location = new vscode.Location(vscode.Uri.file(at.file), new vscode.Position(at.line - 1, at.column - 1));
  else if (item.uri && item.range) msg.location = new vscode.Location(item.uri, item.range);
  run.failed(item, msg, r.durationMs);
  if (r.details) run.appendOutput(r.details.replace(/\r?\n/g, "\r\n") + "\r\n", msg.location, item);
}
