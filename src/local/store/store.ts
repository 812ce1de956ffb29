// State on disk under <dataDir>/state: one JSON file per sandbox and per snapshot, written
// atomically. Everything is loaded into memory at start; every change is written through.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { flushWrites, removeFileQueued, writeFileAtomic } from "./atomic";
import type { SandboxRecord, SnapshotRecord, VolumeRecord } from "./records";

export class Store {
  readonly sandboxes = new Map<string, SandboxRecord>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  readonly volumes = new Map<string, VolumeRecord>();

  private constructor(readonly dataDir: string) {}

  static async open(dataDir: string): Promise<Store> {
    const store = new Store(dataDir);
    for (const rec of await readAll<SandboxRecord>(store.dir("sandboxes"))) store.sandboxes.set(rec.id, rec);
    for (const rec of await readAll<SnapshotRecord>(store.dir("snapshots"))) store.snapshots.set(rec.id, rec);
    for (const rec of await readAll<VolumeRecord>(store.dir("volumes"))) store.volumes.set(rec.id, rec);
    return store;
  }

  /** Scratch space (builds, fork staging). */
  tmpDir(): string {
    return path.join(this.dataDir, "tmp");
  }

  async saveSandbox(rec: SandboxRecord): Promise<void> {
    this.sandboxes.set(rec.id, rec);
    await writeFileAtomic(this.file("sandboxes", rec.id), JSON.stringify(rec, null, 1));
  }

  async removeSandbox(id: string): Promise<void> {
    this.sandboxes.delete(id);
    await removeFileQueued(this.file("sandboxes", id));
  }

  async saveSnapshot(rec: SnapshotRecord): Promise<void> {
    this.snapshots.set(rec.id, rec);
    await writeFileAtomic(this.file("snapshots", rec.id), JSON.stringify(rec, null, 1));
  }

  async removeSnapshot(id: string): Promise<void> {
    this.snapshots.delete(id);
    await removeFileQueued(this.file("snapshots", id));
  }

  async saveVolume(rec: VolumeRecord): Promise<void> {
    this.volumes.set(rec.id, rec);
    await writeFileAtomic(this.file("volumes", rec.id), JSON.stringify(rec, null, 1));
  }

  async removeVolume(id: string): Promise<void> {
    this.volumes.delete(id);
    await removeFileQueued(this.file("volumes", id));
  }

  findVolume(idOrName: string): VolumeRecord | undefined {
    const byId = this.volumes.get(idOrName);
    if (byId) return byId;
    for (const rec of this.volumes.values()) if (rec.name === idOrName) return rec;
    return undefined;
  }

  findSandbox(idOrName: string): SandboxRecord | undefined {
    const byId = this.sandboxes.get(idOrName);
    if (byId) return byId;
    for (const rec of this.sandboxes.values()) if (rec.name === idOrName) return rec;
    return undefined;
  }

  findSnapshot(idOrName: string): SnapshotRecord | undefined {
    const byId = this.snapshots.get(idOrName);
    if (byId) return byId;
    for (const rec of this.snapshots.values()) if (rec.name === idOrName) return rec;
    return undefined;
  }

  flush(): Promise<void> {
    return flushWrites();
  }

  private dir(kind: string): string {
    return path.join(this.dataDir, "state", kind);
  }

  private file(kind: string, id: string): string {
    return path.join(this.dir(kind), `${id}.json`);
  }
}

async function readAll<T>(dir: string): Promise<T[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const name of names) {
    if (!name.endsWith(".json")) continue; // leftovers of an interrupted write end in .tmp
    try {
      out.push(JSON.parse(await fs.readFile(path.join(dir, name), "utf8")) as T);
    } catch {
      // A corrupt record is skipped rather than keeping the server from starting.
    }
  }
  return out;
}
