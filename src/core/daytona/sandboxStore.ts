// The sandboxes the views show, kept up to date from full lists and from pushed events. Pure data
// with a change callback, so it is tested without VS Code or a server.
import type { SandboxRecord, SandboxState } from "./records";

export type Listener = () => void;

export class SandboxStore {
  private records = new Map<string, SandboxRecord>();
  private listeners = new Set<Listener>();
  /** Set once a full list has arrived; before that the view shows a loading state. */
  loaded = false;

  all(): SandboxRecord[] {
    return [...this.records.values()];
  }

  get(id: string): SandboxRecord | undefined {
    return this.records.get(id);
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  replaceAll(records: SandboxRecord[]): void {
    this.records = new Map(records.map((r) => [r.id, r]));
    this.loaded = true;
    this.changed();
  }

  /**
   * A created or updated sandbox; a destroyed one leaves the list. Events can arrive after a newer
   * answer (a "created" event after create() returned the started sandbox): a record older than the
   * one held, by updatedAt, is ignored.
   */
  upsert(record: SandboxRecord): void {
    const held = this.records.get(record.id);
    if (held?.updatedAt && record.updatedAt && record.updatedAt < held.updatedAt) return;
    if (record.state === "destroyed") this.records.delete(record.id);
    else this.records.set(record.id, record);
    this.changed();
  }

  /** A state change pushed without a full record. Unknown ids are ignored (the next list brings them). */
  setState(id: string, state: SandboxState): boolean {
    const r = this.records.get(id);
    if (!r) return false;
    if (state === "destroyed") this.records.delete(id);
    else this.records.set(id, { ...r, state });
    this.changed();
    return true;
  }

  remove(id: string): void {
    if (this.records.delete(id)) this.changed();
  }

  clear(): void {
    this.records.clear();
    this.loaded = false;
    this.changed();
  }
}
