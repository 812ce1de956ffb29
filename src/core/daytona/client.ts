// The one place that talks to Daytona: a thin layer over @daytonaio/sdk that returns our own records,
// maps every failure to DaytonaRequestError, and loads the SDK lazily (it is large).
// The SDK is imported on first use; esbuild keeps it in the bundle but evaluates it only then.
const loadSdk = () => {
  quietAwsNodeVersionWarning();
  return import("@daytonaio/sdk");
};
export type Sdk = Awaited<ReturnType<typeof loadSdk>>;
export type Daytona = InstanceType<Sdk["Daytona"]>;
type Sandbox = Awaited<ReturnType<Daytona["get"]>>;
/** The SDK's sandbox object, for the toolbox (files, processes, PTYs) of one sandbox. */
export type SdkSandbox = Sandbox;
import { DaytonaRequestError, toDaytonaError } from "./errors";
import { quietAwsNodeVersionWarning } from "./quietAwsWarning";
import { toSandboxRecord, toSnapshotRecord, type SandboxRecord, type SnapshotRecord } from "./records";
import { toVolumeRecord, type SandboxMetrics, type VolumeMountSpec, type VolumeRecord } from "./volumes";

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
  autoArchiveInterval?: number;
  autoDeleteInterval?: number;
  public?: boolean;
  ephemeral?: boolean;
  networkBlockAll?: boolean;
  networkAllowList?: string;
  language?: string;
  volumes?: VolumeMountSpec[];
}

export interface EnsureSnapshotParams {
  name: string;
  image: string;
  resources?: { cpu?: number; memory?: number; disk?: number; gpu?: number };
}

export class DaytonaClient {
  private sdk?: Promise<Daytona>;
  private readonly handles = new Map<string, Promise<Sandbox>>();

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

  /**
   * Runs code with the SDK itself, for operations built elsewhere in core (creating from a plan,
   * Docker-in-Docker). Failures come out as DaytonaRequestError like every other call.
   */
  withSdk<T>(fn: (daytona: Daytona, sdk: Sdk) => Promise<T>): Promise<T> {
    return this.call(async (d) => fn(d, await loadSdk()));
  }

  private sandbox(idOrName: string): Promise<Sandbox> {
    return this.call((d) => d.get(idOrName));
  }

  /** One cheap authenticated request: proves the address and the key work. */
  async ping(): Promise<void> {
    await this.call((d) => d.snapshot.list(1, 1));
  }

  /**
   * The SDK object for a sandbox's toolbox. Kept per id: the file system and terminals make many
   * calls, and one GET per call would double their round trips.
   */
  async toolbox(id: string): Promise<SdkSandbox> {
    let handle = this.handles.get(id);
    if (!handle) {
      handle = this.sandbox(id);
      this.handles.set(id, handle);
      handle.catch(() => this.handles.delete(id));
    }
    return handle;
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
    this.handles.delete(id);
    await this.call(() => s.delete());
  }

  /** An SSH access to the sandbox (Daytona's gateway takes the token as the ssh user). */
  async createSshAccess(id: string, expiresInMinutes: number): Promise<{ token: string; expiresAt: string; sshCommand: string }> {
    const s = await this.sandbox(id);
    return this.call(async () => {
      const a = await s.createSshAccess(expiresInMinutes);
      return { token: a.token, expiresAt: new Date(a.expiresAt).toISOString(), sshCommand: a.sshCommand };
    });
  }

  /** Revoke one SSH access token of a sandbox. */
  async revokeSshAccess(id: string, token: string): Promise<void> {
    const s = await this.sandbox(id);
    await this.call(() => s.revokeSshAccess(token));
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

  /** A preview URL that needs no token, valid for `expiresInSeconds` (for private sandboxes in a browser). */
  async signedPreviewUrl(id: string, port: number, expiresInSeconds: number): Promise<{ url: string; token: string; expiresAt: Date }> {
    const s = await this.sandbox(id);
    return this.call(async () => {
      const link = await s.getSignedPreviewUrl(port, expiresInSeconds);
      return { url: link.url, token: link.token, expiresAt: new Date(Date.now() + expiresInSeconds * 1000) };
    });
  }

  /** The sandbox's latest CPU / memory / disk sample (the sandbox must be started). */
  async metrics(id: string): Promise<SandboxMetrics> {
    const s = await this.toolbox(id);
    return this.call(async () => {
      const m = await s.getMetricsLatest();
      return { cpuCount: m.cpuCount, cpuUsedPct: m.cpuUsedPct, memUsed: m.memUsed, memTotal: m.memTotal, diskUsed: m.diskUsed, diskTotal: m.diskTotal };
    });
  }

  async listVolumes(): Promise<VolumeRecord[]> {
    return this.call(async (d) => (await d.volume.list()).map(toVolumeRecord).filter((v) => v.state !== "deleted"));
  }

  async createVolume(name: string): Promise<VolumeRecord> {
    return this.call(async (d) => toVolumeRecord(await d.volume.create(name)));
  }

  async deleteVolume(idOrName: string): Promise<void> {
    await this.call(async (d) => d.volume.delete(await d.volume.get(idOrName)));
  }

  /**
   * Streams a sandbox's build log: what was logged so far and, with follow, the rest until the build
   * ends. The SDK only exposes this while creating, so this uses the same two documented endpoints.
   */
  async buildLogs(id: string, onChunk: (text: string) => void, options: { follow: boolean; signal?: AbortSignal }): Promise<void> {
    const headers = { Authorization: `Bearer ${this.settings.apiKey}` };
    try {
      const base = this.settings.apiUrl.replace(/\/+$/, "");
      const res = await fetch(`${base}/sandbox/${encodeURIComponent(id)}/build-logs-url`, { headers, signal: options.signal });
      if (!res.ok) throw Object.assign(new Error(`build logs: HTTP ${res.status}`), { statusCode: res.status });
      const { url } = (await res.json()) as { url?: string };
      if (!url) throw new Error("build logs: the server gave no URL");
      const logs = await fetch(options.follow ? `${url}${url.includes("?") ? "&" : "?"}follow=true` : url, { headers, signal: options.signal });
      if (!logs.ok || !logs.body) throw Object.assign(new Error(`build logs: HTTP ${logs.status}`), { statusCode: logs.status });
      const decoder = new TextDecoder();
      for await (const chunk of logs.body as unknown as AsyncIterable<Uint8Array>) onChunk(decoder.decode(chunk, { stream: true }));
    } catch (err) {
      throw toDaytonaError(err, [this.settings.apiKey]);
    }
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

  /**
   * Makes sure the snapshot `name` exists and is active: reuses it, or creates it from `image`. Safe when
   * two callers race: a conflict on create means the other one is making it, so wait for it instead.
   */
  async ensureSnapshot(p: EnsureSnapshotParams, o: { onLogs?(line: string): void; timeoutSeconds?: number; pollMs?: number } = {}): Promise<"existed" | "created"> {
    const deadline = Date.now() + (o.timeoutSeconds ?? 900) * 1000;
    const waitActive = async (): Promise<void> => {
      for (;;) {
        const s = await this.call((d) => d.snapshot.get(p.name));
        const state = String(s.state);
        if (state === "active") return;
        if (state === "error" || state === "build_failed") throw new DaytonaRequestError("other", `Snapshot ${p.name} is in state ${state}: ${s.errorReason ?? "no reason given"}`);
        if (state === "inactive") await this.call((d) => d.snapshot.activate(s));
        if (Date.now() > deadline) throw new DaytonaRequestError("timeout", `Snapshot ${p.name} did not become active (state ${state})`);
        await new Promise((r) => setTimeout(r, o.pollMs ?? 2000));
      }
    };
    try {
      await waitActive();
      return "existed";
    } catch (err) {
      if (!(err instanceof DaytonaRequestError) || err.kind !== "notFound") throw err;
    }
    try {
      await this.call((d) => d.snapshot.create({ name: p.name, image: p.image, resources: p.resources }, { onLogs: o.onLogs, timeout: o.timeoutSeconds ?? 900 }));
      return "created";
    } catch (err) {
      const conflict = err instanceof DaytonaRequestError && (err.kind === "conflict" || /already exists/i.test(err.message));
      if (!conflict) throw err;
      o.onLogs?.(`Snapshot ${p.name} is being created by someone else; waiting for it`);
      await waitActive();
      return "existed";
    }
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
