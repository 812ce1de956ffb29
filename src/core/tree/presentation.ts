// How records read in the views: description, Markdown tooltip, and the codicon + theme colour for a
// state. Plain strings, so it is tested without VS Code; the view wraps them in ThemeIcon/MarkdownString.
import { TRANSITIONAL_STATES, type SandboxRecord, type SandboxState, type SnapshotRecord } from "../daytona/records";

export interface StateIcon {
  /** A codicon id; transitional states use the spinning sync icon. */
  codicon: string;
  /** A theme colour id, or undefined for the default foreground. */
  color?: string;
}

export function stateIcon(state: SandboxState): StateIcon {
  if (TRANSITIONAL_STATES.has(state)) return { codicon: "sync~spin", color: "charts.yellow" };
  switch (state) {
    case "started":
      return { codicon: "vm-running", color: "charts.green" };
    case "stopped":
      return { codicon: "vm-outline" };
    case "archived":
      return { codicon: "archive", color: "disabledForeground" };
    case "error":
    case "build_failed":
      return { codicon: "error", color: "errorForeground" };
    case "destroyed":
      return { codicon: "trash", color: "disabledForeground" };
    default:
      return { codicon: "question" };
  }
}

export function resources(r: { cpu: number; memory: number; disk: number; gpu: number }): string {
  const parts = [`${r.cpu} CPU`, `${r.memory} GiB`, `${r.disk} GiB disk`];
  if (r.gpu > 0) parts.push(`${r.gpu} GPU`);
  return parts.join(" · ");
}

export function sandboxDescription(r: SandboxRecord): string {
  const parts = [r.state === "started" ? undefined : r.state.replace(/_/g, " "), r.snapshot, resources(r)];
  return parts.filter(Boolean).join(" · ");
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

function minutes(m: number | undefined): string {
  if (m === undefined) return "not set";
  if (m === 0) return "never";
  return m % 60 === 0 ? `${m / 60} h` : `${m} min`;
}

export function sandboxTooltip(r: SandboxRecord): string {
  const lines = [
    `**${escapeMd(r.name)}** — ${escapeMd(r.state.replace(/_/g, " "))}`,
    "",
    `- id: \`${r.id}\``,
    r.snapshot ? `- snapshot: ${escapeMd(r.snapshot)}` : undefined,
    `- resources: ${resources(r)}`,
    r.createdAt ? `- created: ${escapeMd(new Date(r.createdAt).toLocaleString())}` : undefined,
    `- auto-stop: ${minutes(r.autoStopInterval)}, auto-archive: ${minutes(r.autoArchiveInterval)}`,
    r.errorReason ? `- error: ${escapeMd(r.errorReason)}` : undefined,
  ];
  const labels = Object.entries(r.labels);
  if (labels.length) {
    lines.push("", "**Labels**", "");
    for (const [k, v] of labels.sort(([a], [b]) => a.localeCompare(b))) lines.push(`- \`${k}\` = \`${v}\``);
  }
  return lines.filter((l) => l !== undefined).join("\n");
}

export function snapshotDescription(s: SnapshotRecord): string {
  return [s.state === "active" ? undefined : s.state.replace(/_/g, " "), s.imageName, resources(s)].filter(Boolean).join(" · ");
}

export function snapshotTooltip(s: SnapshotRecord): string {
  return [
    `**${escapeMd(s.name)}** — ${escapeMd(s.state)}`,
    "",
    `- id: \`${s.id}\``,
    s.imageName ? `- image: ${escapeMd(s.imageName)}` : undefined,
    `- resources: ${resources(s)}`,
    s.sourceSandboxId ? `- from sandbox: \`${s.sourceSandboxId}\`` : undefined,
    s.createdAt ? `- created: ${escapeMd(new Date(s.createdAt).toLocaleString())}` : undefined,
    s.errorReason ? `- error: ${escapeMd(s.errorReason)}` : undefined,
  ]
    .filter((l) => l !== undefined)
    .join("\n");
}
