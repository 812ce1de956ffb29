// The one place that talks to Daytona: a thin layer over @daytonaio/sdk that returns our own records,
// maps every failure to DaytonaRequestError, and loads the SDK lazily (it is large).
// The SDK is imported on first use; esbuild keeps it in the bundle but evaluates it only then.
const loadSdk = () => import("@daytonaio/sdk");
type Sdk = Awaited<ReturnType<typeof loadSdk>>;
type Daytona = InstanceType<Sdk["Daytona"]>;
type Sandbox = Awaited<ReturnType<Daytona["get"]>>;
import { toDaytonaError } from "./errors";
import { toSandboxRecord, toSnapshotRecord, type SandboxRecord, type SnapshotRecord } from "./records";

export interface ConnectionSettings {
  apiUrl: string;
  apiKey: string;
  /** Daytona's region ("us", "eu"); the local server accepts any. */
  target?: string;
  organizationId?: string;
  /** Per-request timeout; a request that hangs must not hang a view. */
  requestTimeoutMs?: number;
}

export interface CreateSandboxParams {
  name?: string;
  snapshot?: string;
  labels?: Record<string, string>;
  envVars?: Record<string, string>;
  user?: string;
  autoStopInterval?: number;
}

export class DaytonaClient {
  private sdk?: Promise<Daytona>;

  constructor(readonly settings: ConnectionSettings) {}

  private daytona(): Promise<Daytona> {
    this.sdk ??= loadSdk().then(
      ({ Daytona }) =>
        new Daytona({
          apiKey: this.settings.apiKey,
          // Always explicit: an ambient DAYTONA_API_URL plus a .env naming another one makes the SDK throw.
          apiUrl: this.settings.apiUrl,
          target: this.settings.target ?? "us",
          organizationId: this.settings.organizationId || undefined,
          requestTimeoutMs: this.settings.requestTimeoutMs ?? 30_000,
        }),
    );
    return this.sdk;
  }

  /** Runs one SDK call; any failure comes out as a DaytonaRequestError with the key redacted. */
  private async call<T>(fn: (d: Daytona) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.daytona());
    } catch (err) {
      throw toDaytonaError(err, [this.settings.apiKey]);
    }
  }

  private sandbox(idOrName: string): Promise<Sandbox> {
    return this.call((d) => d.get(idOrName));
  }

  async listSandboxes(labels?: Record<string, string>): Promise<SandboxRecord[]> {
    return this.call(async (d) => {
      const out: SandboxRecord[] = [];
      for await (const s of d.list(labels ? { labels } : undefined)) out.push(toSandboxRecord(s));
      return out;
    });
  }

  async getSandbox(idOrName: string): Promise<SandboxRecord> {
    return toSandboxRecord(await this.sandbox(idOrName));
  }

  async createSandbox(params: CreateSandboxParams, timeoutSeconds = 120): Promise<SandboxRecord> {
    return this.call(async (d) => toSandboxRecord(await d.create(params, { timeout: timeoutSeconds })));
  }

  async start(id: string): Promise<void> {
    const s = await this.sandbox(id);
    await this.call(() => s.start());
  }

  async stop(id: string): Promise<void> {
    const s = await this.sandbox(id);
    await this.call(() => s.stop());
  }

  async archive(id: string): Promise<void> {
    const s = await this.sandbox(id);
    await this.call(() => s.archive());
  }

  async delete(id: string): Promise<void> {
    const s = await this.sandbox(id);
    await this.call(() => s.delete());
  }

  async setLabels(id: string, labels: Record<string, string>): Promise<void> {
    const s = await this.sandbox(id);
    await this.call(() => s.setLabels(labels));
  }

  async previewUrl(id: string, port: number): Promise<{ url: string; token?: string }> {
    const s = await this.sandbox(id);
    return this.call(async () => {
      const link = await s.getPreviewLink(port);
      return { url: link.url, token: link.token };
    });
  }

  async listSnapshots(): Promise<SnapshotRecord[]> {
    return this.call(async (d) => {
      const out: SnapshotRecord[] = [];
      for (let page = 1; ; page++) {
        const res = await d.snapshot.list(page, 100);
        out.push(...res.items.map(toSnapshotRecord));
        if (page >= res.totalPages || res.items.length === 0) return out;
      }
    });
  }

  async activateSnapshot(idOrName: string): Promise<void> {
    await this.call(async (d) => d.snapshot.activate(await d.snapshot.get(idOrName)));
  }

  async deleteSnapshot(idOrName: string): Promise<void> {
    await this.call(async (d) => d.snapshot.delete(await d.snapshot.get(idOrName)));
  }

  async dispose(): Promise<void> {
    const sdk = this.sdk;
    this.sdk = undefined;
    if (sdk) await (await sdk.catch(() => undefined))?.[Symbol.asyncDispose]();
  }
}
