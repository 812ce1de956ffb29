// Pure parsers of docker/compose output. The toolbox merges stdout and stderr, so every parser skips
// lines it does not recognise (warnings) instead of failing on them.

export interface ComposeCli {
  /** How compose is invoked: ["docker", "compose"] or ["docker-compose"]. */
  argv: string[];
  /** Supports `up --wait` and `ps --format json` (compose 2.x, whatever the binary is called). */
  v2: boolean;
  version: string;
}

export function parseComposeDetect(output: string): ComposeCli {
  const lines = output.split("\n");
  const cli = lines.find((l) => l.startsWith("cli="))?.slice(4);
  const rest = lines.filter((l) => !l.startsWith("cli=")).join("\n").trim();
  if (cli !== "plugin" && cli !== "standalone") {
    throw new Error(`Neither \`docker compose\` nor \`docker-compose\` works in the sandbox${rest ? `: ${rest}` : ""}`);
  }
  const m = /version\s+v?(\d+)\.(\d+)(?:\.(\d+))?/i.exec(rest);
  if (!m) throw new Error(`Could not read the compose version from: ${rest || "(no output)"}`);
  return { argv: cli === "plugin" ? ["docker", "compose"] : ["docker-compose"], v2: Number(m[1]) >= 2, version: m[0].replace(/^version\s+/i, "") };
}

export type Health = "healthy" | "unhealthy" | "starting";

export interface ContainerRow {
  id: string;
  service: string;
  /** docker's state: created, running, restarting, exited, paused, dead, removing */
  state: string;
  health?: Health;
  /** Human text, e.g. "Up 3 seconds (healthy)" or "Exited (1) 2 seconds ago". */
  status: string;
}

function healthOf(status: string): Health | undefined {
  if (/\(healthy\)/.test(status)) return "healthy";
  if (/\(unhealthy\)/.test(status)) return "unhealthy";
  if (/\(health: starting\)/.test(status)) return "starting";
  return undefined;
}

/** Lines of `docker ps --format PS_FORMAT` (id|state|service|status). */
export function parseLabelPs(output: string): ContainerRow[] {
  const rows: ContainerRow[] = [];
  for (const line of output.split("\n")) {
    const m = /^([0-9a-f]{12,64})\|([a-z]+)\|([^|]*)\|(.*)$/.exec(line.trim());
    if (!m) continue;
    rows.push({ id: m[1], state: m[2], service: m[3], status: m[4], health: healthOf(m[4]) });
  }
  return rows;
}

/** `docker compose ps --format json`: a JSON array (compose < 2.21) or one object per line. */
export function parseComposePsJson(output: string): ContainerRow[] {
  const objects: unknown[] = [];
  for (const line of output.split("\n").map((l) => l.trim())) {
    if (!line.startsWith("{") && !line.startsWith("[")) continue;
    const v = JSON.parse(line) as unknown;
    if (Array.isArray(v)) objects.push(...(v as unknown[]));
    else objects.push(v);
  }
  return objects.flatMap((o): ContainerRow[] => {
    if (!o || typeof o !== "object") return [];
    const r = o as Record<string, unknown>;
    const str = (k: string) => (typeof r[k] === "string" ? (r[k] as string) : "");
    if (!str("ID") || !str("Service")) return [];
    const h = str("Health");
    const health = h === "healthy" || h === "unhealthy" || h === "starting" ? h : healthOf(str("Status"));
    return [{ id: str("ID"), service: str("Service"), state: str("State"), status: str("Status"), health }];
  });
}

/** Whether a container counts as up: running, and healthy if it has a healthcheck. */
export function isUp(row: ContainerRow): boolean {
  return row.state === "running" && row.health !== "starting" && row.health !== "unhealthy";
}

/** A container that will not come up by waiting longer. */
export function isDead(row: ContainerRow): boolean {
  return row.state === "exited" || row.state === "dead" || row.health === "unhealthy";
}
