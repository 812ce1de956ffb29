// A plan's SandboxSpec as the SDK's create parameters. Pure: the Dockerfile is named, not read, so
// this is tested as data; the SDK's Image is built only when the sandbox is created.
import type { SandboxSpec } from "../config/plan";

export interface CreateParams {
  name?: string;
  snapshot?: string;
  /** An image name, or a Dockerfile to build (its folder is the build context). */
  image?: string | { dockerfile: string };
  resources?: { cpu: number; memory: number; disk?: number; gpu?: number };
  user?: string;
  language?: string;
  envVars: Record<string, string>;
  labels: Record<string, string>;
  public?: boolean;
  ephemeral?: boolean;
  networkBlockAll?: boolean;
  networkAllowList?: string;
  autoStopInterval?: number;
  autoArchiveInterval?: number;
  autoDeleteInterval?: number;
}

export function toCreateParams(spec: SandboxSpec, name?: string): CreateParams {
  const p: CreateParams = { envVars: { ...spec.envVars }, labels: { ...spec.labels } };
  if (name) p.name = name;
  if (spec.snapshot) p.snapshot = spec.snapshot;
  else if (spec.image?.kind === "name") p.image = spec.image.name;
  else if (spec.image?.kind === "dockerfile") p.image = { dockerfile: spec.image.dockerfile };
  // Resources go with an image only: a snapshot carries its own.
  if (spec.resources && !p.snapshot && p.image) {
    p.resources = { cpu: spec.resources.cpu, memory: spec.resources.memory, gpu: spec.resources.gpu || undefined, disk: spec.resources.disk };
  }
  const copy = ["user", "language", "public", "ephemeral", "networkBlockAll", "networkAllowList", "autoStopInterval", "autoArchiveInterval", "autoDeleteInterval"] as const;
  for (const k of copy) if (spec[k] !== undefined) (p as unknown as Record<string, unknown>)[k] = spec[k];
  return p;
}

/** The labels that identify "the sandbox made for this folder and config", for reuse. */
export function reuseSelector(labels: Record<string, string>): Record<string, string> {
  const keys = ["created_by", "daytona.vscode/folder", "daytona.vscode/source"];
  return Object.fromEntries(keys.filter((k) => labels[k] !== undefined).map((k) => [k, labels[k]]));
}
