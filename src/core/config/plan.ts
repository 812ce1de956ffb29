// The result of reading a workspace's config: what to create, as plain JSON-serialisable data with
// absolute paths. Nothing here runs anything; src/commands turns a CreatePlan into SDK calls.

/** One problem, always with a place: 1-based line and column in `file` (1:1 when the whole file is meant). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the setting, e.g. "services.web.deploy.resources.limits.memory" or "x-daytona.timeout". */
  field: string;
  message: string;
  severity: "error" | "warning";
}

/** Daytona units: whole CPUs, memory and disk in GiB, whole GPUs. */
export interface Resources {
  cpu: number;
  memory: number;
  disk?: number;
  gpu: number;
}

export type ImageSource = { kind: "dockerfile"; dockerfile: string; context: string } | { kind: "name"; name: string };

/** What one Daytona sandbox is created with (maps onto the SDK's create params). */
export interface SandboxSpec {
  /** Create from this snapshot; `image` and `resources` are then absent. */
  snapshot?: string;
  image?: ImageSource;
  user?: string;
  envVars: Record<string, string>;
  labels: Record<string, string>;
  /** Absent: Daytona's defaults. */
  resources?: Resources;
  public?: boolean;
  ephemeral?: boolean;
  networkBlockAll?: boolean;
  /** Comma-separated IPv4 CIDRs, as the SDK takes it. */
  networkAllowList?: string;
  language?: string;
  /** Minutes; 0 disables. */
  autoStopInterval?: number;
  autoArchiveInterval?: number;
  /** Minutes; -1 disables, 0 deletes as soon as stopped. */
  autoDeleteInterval?: number;
  /** Seconds the create call may take. */
  timeoutSeconds?: number;
}

export interface PortMapping {
  /** Container port or range, e.g. "80" or "3000-3005". */
  target: string;
  published?: string;
  hostIp?: string;
  protocol: string;
}

/** One compose service of a Docker-in-Docker plan (run by compose inside the sandbox). */
export interface ServicePlan {
  name: string;
  image?: string;
  build?: { context: string; dockerfile: string; target?: string; args?: Record<string, string> };
  user?: string;
  workingDir?: string;
  /** environment over env_file, after interpolation. */
  envVars: Record<string, string>;
  /** What the service declares (limits, else reservations), in Daytona units (rounded up); all 0 when it declares nothing. */
  resources: Resources;
  ports: PortMapping[];
  dependsOn: string[];
}

export interface RequiredFile {
  path: string;
  /** The setting that needs it, e.g. "services.web.env_file[0]" or "secrets.db_password.file". */
  field: string;
  secret: boolean;
}

export interface DindSnapshot {
  name: string;
  /** Image to build the snapshot from when it does not exist; absent when x-daytona.snapshot names one. */
  image?: string;
  resources: Resources;
}

export type CreatePlan =
  | { kind: "default"; folder: string; sandbox: SandboxSpec; warnings: Diagnostic[] }
  | { kind: "dockerfile"; folder: string; file: string; sandbox: SandboxSpec; warnings: Diagnostic[] }
  | { kind: "compose-single"; folder: string; file: string; service: string; sandbox: SandboxSpec; warnings: Diagnostic[] }
  | {
      kind: "compose-dind";
      folder: string;
      file: string;
      /** Every compose file, in the order given to compose with -f (override files, COMPOSE_FILE). */
      composeFiles: string[];
      /**
       * Files and folders compose needs (env files, secrets, configs, build contexts), uploaded even
       * when .gitignore excludes them. `secret`: never log anything of it but its path.
       */
      requiredFiles: RequiredFile[];
      /** Compose project name used with `-p` inside the sandbox. */
      project: string;
      services: ServicePlan[];
      defaultService: string;
      /** Absolute folders to upload besides `folder` (build contexts outside it). */
      buildContexts: string[];
      /** Interpolation variables the file uses, resolved here, to pass to compose inside the sandbox. */
      composeEnv: Record<string, string>;
      /** Services not started because their profiles are not active. */
      inactiveServices: string[];
      dindSnapshot: DindSnapshot;
      sandbox: SandboxSpec;
      warnings: Diagnostic[];
    };

export interface PlanResult {
  /** Undefined when any diagnostic is an error. */
  plan?: CreatePlan;
  /** Errors and warnings, in file order per file. */
  diagnostics: Diagnostic[];
}

/** How the planner reads files; the default uses node:fs/promises, tests and editors may overlay their own. */
export interface FileAccess {
  readFile(path: string): Promise<string>;
  /** "file", "directory", or undefined when nothing is there. */
  stat(path: string): Promise<"file" | "directory" | undefined>;
}

export interface PlanOptions {
  /** Variables for ${VAR} interpolation; they win over the .env file next to the compose file. Default: none. */
  env?: Record<string, string>;
  /** Active compose profiles; default: COMPOSE_PROFILES from `env`. */
  profiles?: string[];
  /** Extra labels for the sandbox (the caller's); they win over x-daytona.labels. */
  labels?: Record<string, string>;
  /** Prefix of Docker-in-Docker snapshot names; default "daytona-vscode". */
  snapshotPrefix?: string;
  files?: FileAccess;
}

export const CREATED_BY = "daytona-vscode";
export const LABEL_SOURCE = "daytona.vscode/source";
export const LABEL_FOLDER = "daytona.vscode/folder";
export const DIND_IMAGE = "docker:28.3.3-dind";
/**
 * Daytona's documented per-sandbox maximum for organizations (docs: Sandboxes, "Organizations get a
 * maximum sandbox resource limit of 4 vCPUs, 8GB RAM, and 10GB disk"). A Docker-in-Docker sandbox is
 * capped there unless x-daytona.resources asks for more.
 */
export const SANDBOX_LIMITS = { cpu: 4, memory: 8, disk: 10 };
/** A Docker-in-Docker sandbox gets at least this much: a daemon plus a few idle services. */
export const DIND_FLOOR = { cpu: 2, memory: 4 };
