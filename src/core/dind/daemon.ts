// Steps of a bring-up that talk to the daemon: start it unless it answers, and wait until compose's
// containers are up. Both poll with an explicit deadline and fail with what docker said.
import { composeLogs, containersByLabel, daemonLogTail, dockerInfo, startDaemon, type ComposeProject } from "./commands";
import { isDead, isUp, type ContainerRow } from "./parse";
import { DindError, check, execRaw, run, tail, type Exec } from "./runner";

export interface PollOptions {
  log(line: string): void;
  signal?: AbortSignal;
  timeoutSeconds?: number;
  intervalMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/** Returns the server version. Starts the daemon only when `docker info` does not answer already. */
export async function ensureDaemon(t: Exec, o: PollOptions): Promise<string> {
  const first = await execRaw(t, dockerInfo);
  if (first.exitCode === 0) return check(dockerInfo, first);
  o.log("Starting the Docker daemon in the sandbox");
  await run(t, startDaemon);
  const deadline = Date.now() + (o.timeoutSeconds ?? 60) * 1000;
  let last = first;
  while (Date.now() < deadline) {
    await sleep(o.intervalMs ?? 2000, o.signal);
    last = await execRaw(t, dockerInfo);
    if (last.exitCode === 0) return check(dockerInfo, last);
  }
  const log = await execRaw(t, daemonLogTail()).catch(() => ({ exitCode: -1, output: "(could not read the log)" }));
  throw new DindError(
    `The Docker daemon did not answer within ${o.timeoutSeconds ?? 60} s.\ndocker info: ${tail(last.output, 5)}\nLast lines of /var/log/dockerd.log:\n${log.output}`,
    dockerInfo.argv,
    last.exitCode,
    `${last.output}\n${log.output}`,
  );
}

/** One line per expected service: its state, or that it has no container. */
export function describeServices(expected: readonly string[], rows: readonly ContainerRow[]): string {
  return expected
    .map((s) => {
      const r = rows.filter((x) => x.service === s);
      return `  ${s}: ${r.length ? r.map((x) => `${x.state}${x.health ? ` (${x.health})` : ""} - ${x.status}`).join("; ") : "no container"}`;
    })
    .join("\n");
}

/** The first container of each service that is up; undefined for a service that is not. */
function upByService(expected: readonly string[], rows: readonly ContainerRow[]): Map<string, ContainerRow | undefined> {
  return new Map(expected.map((s) => [s, rows.find((r) => r.service === s && isUp(r))]));
}

/**
 * Polls `docker ps` (by labels) until every expected service has a container up, failing early when
 * one has exited or is unhealthy. With compose v2's `up --wait` this is a single check.
 */
export async function waitForServices(t: Exec, p: ComposeProject, expected: readonly string[], o: PollOptions): Promise<Map<string, ContainerRow>> {
  const deadline = Date.now() + (o.timeoutSeconds ?? 300) * 1000;
  for (;;) {
    const rows = await run(t, containersByLabel(p.project));
    const up = upByService(expected, rows);
    const missing = expected.filter((s) => !up.get(s));
    if (missing.length === 0) return up as Map<string, ContainerRow>;
    const dead = missing.filter((s) => rows.some((r) => r.service === s && isDead(r)) && !rows.some((r) => r.service === s && !isDead(r)));
    if (dead.length || Date.now() >= deadline) {
      const bad = dead.length ? dead : missing;
      const logs = await execRaw(t, composeLogs(p, bad)).catch((e: unknown) => ({ exitCode: -1, output: String(e) }));
      const why = dead.length ? `exited or unhealthy: ${dead.join(", ")}` : `not up${o.timeoutSeconds === 0 ? "" : ` after ${o.timeoutSeconds ?? 300} s`}: ${missing.join(", ")}`;
      const output = `${describeServices(expected, rows)}\n\ncompose logs:\n${logs.output}`;
      throw new DindError(`Services ${why}\n${describeServices(expected, rows)}\n\ncompose logs:\n${tail(logs.output, 40)}`, containersByLabel(p.project).argv, 0, output);
    }
    await sleep(o.intervalMs ?? 2000, o.signal);
  }
}
