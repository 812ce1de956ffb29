// The records the local server keeps on disk. They hold Daytona's fields plus local bookkeeping.
import type { SandboxState } from "../contract";

export interface BuildInfoRecord {
  dockerfileContent: string;
  contextHashes: string[];
  createdAt: string;
  updatedAt: string;
  snapshotRef: string;
}

/** What a Dockerfile build leaves behind (CMD, ENTRYPOINT, ...); ENTRYPOINT + CMD run as the entrypoint session (toolbox/entrypoint.ts). */
export interface ImageConfig {
  env: Record<string, string>;
  workdir?: string;
  user?: string;
  cmd?: string[];
  entrypoint?: string[];
  labels: Record<string, string>;
  /** Made from a Docker-in-Docker image (docker/image.ts): sandboxes get a docker socket. */
  dind?: boolean;
}

export interface SandboxRecord {
  id: string;
  name: string;
  organizationId: string;
  snapshot?: string;
  user: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  public: boolean;
  networkBlockAll: boolean;
  networkAllowList?: string;
  target: string;
  cpu: number;
  gpu: number;
  memory: number;
  disk: number;
  state: SandboxState;
  errorReason?: string;
  autoStopInterval: number;
  autoArchiveInterval: number;
  autoDeleteInterval: number;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
  buildInfo?: BuildInfoRecord;
  image?: ImageConfig;
  /** The sandbox this one was forked from. */
  parentId?: string;
  /** Volumes mounted at create (volumeId is the resolved id). */
  volumes?: SandboxVolumeRecord[];
  /** Key for signed file URLs (HMAC); made on first use, replaced on rotate. */
  signingKey?: string;
  /** Signed preview URLs handed out and not yet expired or revoked. */
  signedPreviews?: SignedPreviewRecord[];
  /** When the sandbox last became stopped (auto-archive / auto-delete count from here). */
  stoppedAt?: string;
  /** The engine image its container was made from (a snapshot's, a build's, a fork's). */
  engineImage?: string;
  /**
   * Archived by an older server: the image holding its files. Archives are now files in the data dir
   * (runtime/archives.ts); this is read for sandboxes archived before.
   */
  archiveImage?: string;
}

export interface SandboxVolumeRecord {
  volumeId: string;
  mountPath: string;
  subpath?: string;
  /** VolumeStorage.source at create time (what the runtime mounts). */
  source: string;
}

export interface SignedPreviewRecord {
  token: string;
  port: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type VolumeState = "creating" | "ready" | "pending_create" | "pending_delete" | "deleting" | "deleted" | "error";

export interface VolumeRecord {
  id: string;
  name: string;
  organizationId: string;
  state: VolumeState;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
  errorReason: string | null;
}

export type SnapshotState = "building" | "pending" | "pulling" | "snapshotting" | "active" | "inactive" | "error" | "build_failed" | "removing";

export interface SnapshotRecord {
  id: string;
  organizationId: string;
  general: boolean;
  name: string;
  imageName?: string;
  state: SnapshotState;
  size: number;
  entrypoint: string[];
  cpu: number;
  gpu: number;
  mem: number;
  disk: number;
  errorReason: string | null;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string;
  buildInfo?: BuildInfoRecord;
  sourceSandboxId: string | null;
  image?: ImageConfig;
  /** The engine image sandboxes of this snapshot are containers of. */
  engineImage?: string;
}
