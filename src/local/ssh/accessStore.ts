// SSH accesses (Daytona's createSshAccess / revokeSshAccess / validateSshAccess). The token is the
// secret the SSH gateway takes as the ssh user name; only its SHA-256 is kept, in one JSON file
// written atomically, so a restart keeps every access and the state on disk holds no usable token.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../store/atomic";

export interface SshAccessRecord {
  id: string;
  sandboxId: string;
  tokenHash: string;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

/** The one place the access answers its token (at creation). */
export interface CreatedSshAccess {
  record: SshAccessRecord;
  token: string;
}

/** Daytona's default when expiresInMinutes is not given. */
export const DEFAULT_EXPIRY_MINUTES = 60;
/** Tokens are letters and digits only, so they are safe as an ssh user name and in ssh_config. */
const TOKEN_BYTES = 24;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export class SshAccessStore {
  private readonly records = new Map<string, SshAccessRecord>();

  private constructor(
    private readonly file: string,
    private readonly now: () => number,
  ) {}

  static async open(dataDir: string, now: () => number = Date.now): Promise<SshAccessStore> {
    const store = new SshAccessStore(path.join(dataDir, "state", "ssh-access.json"), now);
    try {
      const list = JSON.parse(await fs.readFile(store.file, "utf8")) as SshAccessRecord[];
      for (const r of Array.isArray(list) ? list : []) if (r && typeof r.tokenHash === "string") store.records.set(r.tokenHash, r);
    } catch {
      // No file yet (or a corrupt one): no accesses.
    }
    return store;
  }

  async create(sandboxId: string, expiresInMinutes: number): Promise<CreatedSshAccess> {
    const token = randomBytes(TOKEN_BYTES).toString("base64url").replace(/[-_]/g, "x");
    const now = new Date(this.now());
    const record: SshAccessRecord = {
      id: randomUUID(),
      sandboxId,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + expiresInMinutes * 60_000).toISOString(),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    this.records.set(record.tokenHash, record);
    await this.save();
    return { record, token };
  }

  /** Revoke one token of a sandbox, or (no token) every access of it. Returns how many went. */
  async revoke(sandboxId: string, token?: string): Promise<number> {
    let n = 0;
    for (const [hash, r] of this.records) {
      if (r.sandboxId !== sandboxId) continue;
      if (token !== undefined && hash !== hashToken(token)) continue;
      this.records.delete(hash);
      n++;
    }
    if (n > 0) await this.save();
    return n;
  }

  /** The live (unexpired, unrevoked) access a token names, if any. */
  lookup(token: string): SshAccessRecord | undefined {
    const r = this.records.get(hashToken(token));
    if (!r) return undefined;
    return Date.parse(r.expiresAt) > this.now() ? r : undefined;
  }

  /** Drop expired accesses and those of sandboxes that no longer exist. */
  async prune(exists: (sandboxId: string) => boolean): Promise<void> {
    let changed = false;
    for (const [hash, r] of this.records) {
      if (Date.parse(r.expiresAt) <= this.now() || !exists(r.sandboxId)) {
        this.records.delete(hash);
        changed = true;
      }
    }
    if (changed) await this.save();
  }

  private save(): Promise<void> {
    return writeFileAtomic(this.file, JSON.stringify([...this.records.values()], null, 1));
  }
}
