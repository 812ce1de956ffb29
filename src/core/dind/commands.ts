// The daemon and compose calls of a Docker-in-Docker sandbox, as descriptions (see command.ts).
// Containers are found by the labels both compose v1 and v2 set (com.docker.compose.project/.service),
// so discovery and verification read the same `docker ps` output whichever compose made them.
import { checkName, withEnv, type Command } from "./command";
import { parseComposeDetect, parseComposePsJson, parseLabelPs, type ComposeCli, type ContainerRow } from "./parse";

export const PROJECT_LABEL = "com.docker.compose.project";
export const SERVICE_LABEL = "com.docker.compose.service";
export const DAEMON_LOG = "/var/log/dockerd.log";

/** Answers (exit 0, the server version) only when the daemon does. */
export const dockerInfo: Command<string> = {
  argv: ["docker", "info", "--format", "{{.ServerVersion}}"],
  what: "docker info",
  timeoutSeconds: 20,
  parse: (out) => out.trim(),
};

/** Fixed text through `sh -c`: nothing of the caller's reaches this shell. */
export const startDaemon: Command<void> = {
  argv: ["sh", "-c", `dockerd-entrypoint.sh dockerd > ${DAEMON_LOG} 2>&1 &`],
  what: "start the Docker daemon",
  timeoutSeconds: 20,
};

export function daemonLogTail(lines = 50): Command<string> {
  return { argv: ["tail", "-n", String(lines), DAEMON_LOG], what: "read the daemon log", timeoutSeconds: 10, okExit: [0, 1] };
}

/**
 * v2 (the docker plugin) first, then a standalone docker-compose (v1, or a v2 binary under that name).
 * One round trip; the first line says which answered.
 */
export const detectCompose: Command<ComposeCli> = {
  argv: [
    "sh",
    "-c",
    [
      "if v=$(docker compose version 2>&1); then echo cli=plugin",
      "elif v=$(docker-compose version 2>&1); then echo cli=standalone",
      'else echo cli=none; echo "$v"; exit 127; fi',
      'echo "$v"',
    ].join("; "),
  ],
  what: "find docker compose",
  timeoutSeconds: 20,
  parse: parseComposeDetect,
};

export interface ComposeProject {
  cli: ComposeCli;
  project: string;
  /** In the sandbox: the folder relative paths in the file are resolved against, and the file. */
  projectDir: string;
  file: string;
  /** Further compose files after `file` (override files, COMPOSE_FILE), each passed with -f. */
  extraFiles?: string[];
  /** Interpolation variables for compose itself. */
  env: Record<string, string>;
}

/** `[env K=V ...] docker compose -p <p> --project-directory <dir> -f <file> <args>` */
export function composeArgv(p: ComposeProject, args: string[]): string[] {
  checkName("project", p.project);
  const files = [p.file, ...(p.extraFiles ?? [])].flatMap((f) => ["-f", f]);
  return withEnv(p.env, [...p.cli.argv, "-p", p.project, "--project-directory", p.projectDir, ...files, ...args]);
}

const services = (names: readonly string[]) => names.map((n) => checkName("service", n));

export function composeBuild(p: ComposeProject, names: readonly string[]): Command<void> {
  return { argv: composeArgv(p, ["build", ...services(names)]), what: "compose build", timeoutSeconds: 3600 };
}

/** v2 waits for running/healthy itself; v1 only starts (the caller polls `ps`). */
export function composeUp(p: ComposeProject, names: readonly string[], waitSeconds = 600): Command<void> {
  const args = p.cli.v2 ? ["up", "--detach", "--wait", ...services(names)] : ["up", "-d", ...services(names)];
  return { argv: composeArgv(p, args), what: "compose up", timeoutSeconds: waitSeconds };
}

export function composeDown(p: ComposeProject): Command<void> {
  return { argv: composeArgv(p, ["down", "--remove-orphans"]), what: "compose down", timeoutSeconds: 300 };
}

export function composeLogs(p: ComposeProject, names: readonly string[], tail = 50): Command<string> {
  return { argv: composeArgv(p, ["logs", "--no-color", `--tail=${tail}`, ...services(names)]), what: "compose logs", timeoutSeconds: 60, okExit: [0, 1] };
}

/** v2 only: `compose ps --all --format json` (an array before 2.21, one object per line after). */
export function composePsJson(p: ComposeProject): Command<ContainerRow[]> {
  if (!p.cli.v2) throw new Error("compose ps --format json needs compose v2; use containersByLabel");
  return { argv: composeArgv(p, ["ps", "--all", "--format", "json"]), what: "compose ps", timeoutSeconds: 60, parse: parseComposePsJson };
}

/** `|` cannot occur in ids, states or service names; the free-text status goes last. */
export const PS_FORMAT = `{{.ID}}|{{.State}}|{{.Label "${SERVICE_LABEL}"}}|{{.Status}}`;

/** Every container of a project (any state), v1 or v2, by its compose labels. */
export function containersByLabel(project: string, service?: string): Command<ContainerRow[]> {
  const filters = ["--filter", `label=${PROJECT_LABEL}=${checkName("project", project)}`];
  if (service !== undefined) filters.push("--filter", `label=${SERVICE_LABEL}=${checkName("service", service)}`);
  return { argv: ["docker", "ps", "--all", "--no-trunc", ...filters, "--format", PS_FORMAT], what: "docker ps", timeoutSeconds: 30, parse: parseLabelPs };
}

/** Compose v2 can take a project down by its labels alone, without the file. */
export function composeDownByName(cli: ComposeCli, project: string): Command<void> {
  if (!cli.v2) throw new Error("compose v1 needs the compose file to take a project down");
  return { argv: [...cli.argv, "-p", checkName("project", project), "down", "--remove-orphans"], what: "compose down", timeoutSeconds: 300 };
}

/** Removes every container and network still labelled with the project (what `down` may leave behind). */
export function removeByLabel(project: string): Command<void> {
  return {
    argv: [
      "sh",
      "-c",
      [
        'f="label=com.docker.compose.project=$1"',
        'ids=$(docker ps -aq --filter "$f") || exit',
        '[ -z "$ids" ] || docker rm -f $ids >/dev/null || exit',
        'nets=$(docker network ls -q --filter "$f") || exit',
        '[ -z "$nets" ] || docker network rm $nets >/dev/null',
      ].join("\n"),
      "sh",
      checkName("project", project),
    ],
    what: "remove leftover containers",
    timeoutSeconds: 120,
  };
}
