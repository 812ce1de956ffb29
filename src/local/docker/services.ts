// What a DinD sandbox made on the host engine, found by the label the proxy puts on every container,
// network and volume it creates: stopped with the sandbox, started again with it, removed with it.
//
// The compose labels alone cannot say which sandbox a project belongs to: docker-compose (v1 and v2)
// records the project's working_dir as the client saw it, /home/daytona/... in every sandbox alike.
import { promises as fs } from "node:fs";
import { engineCall } from "./engine";

export const SANDBOX_LABEL = "io.daytona.local.sandbox";

/** Seconds a container gets between SIGTERM and SIGKILL when its sandbox stops (a stop is not graceful for processes either). */
const STOP_GRACE_S = 2;

interface ContainerSummary {
  Id: string;
  State: string;
}

function labelFilter(id: string): string {
  return encodeURIComponent(JSON.stringify({ label: [`${SANDBOX_LABEL}=${id}`] }));
}

export async function sandboxContainers(id: string): Promise<ContainerSummary[]> {
  return (await engineCall("GET", `/containers/json?all=1&filters=${labelFilter(id)}`)) as ContainerSummary[];
}

/**
 * Stop the sandbox's running containers and remember which they were (in `recordPath`), so that
 * start brings back exactly those and not the ones a person had stopped on purpose.
 */
export async function stopSandboxContainers(id: string, recordPath: string): Promise<void> {
  const running = (await sandboxContainers(id)).filter((c) => c.State === "running" || c.State === "paused" || c.State === "restarting");
  let previous: string[] = [];
  try {
    previous = JSON.parse(await fs.readFile(recordPath, "utf8")) as string[];
  } catch {
    previous = [];
  }
  const ids = [...new Set([...previous, ...running.map((c) => c.Id)])];
  await fs.writeFile(recordPath, JSON.stringify(ids));
  await Promise.all(running.map((c) => engineCall("POST", `/containers/${c.Id}/stop?t=${STOP_GRACE_S}`, undefined, [304, 404])));
}

/** Start what stopSandboxContainers stopped (only containers that still carry this sandbox's label). */
export async function startSandboxContainers(id: string, recordPath: string): Promise<void> {
  let ids: string[];
  try {
    ids = JSON.parse(await fs.readFile(recordPath, "utf8")) as string[];
  } catch {
    return;
  }
  const mine = new Map((await sandboxContainers(id)).map((c) => [c.Id, c]));
  const errors: string[] = [];
  for (const cid of ids) {
    const c = mine.get(cid);
    if (!c || c.State === "running") continue;
    // In order: compose made them in dependency order, so the first recorded is the first needed.
    await engineCall("POST", `/containers/${cid}/start`, undefined, [304]).catch((err: unknown) => errors.push(err instanceof Error ? err.message : String(err)));
  }
  await fs.rm(recordPath, { force: true });
  if (errors.length) throw new Error(`could not restart the sandbox's containers: ${errors.join("; ")}`);
}

/**
 * Remove every container (with its anonymous volumes), network and volume the sandbox made, and the
 * images it built (an image another container still uses stays: the engine answers 409).
 */
export async function removeSandboxObjects(id: string): Promise<void> {
  const f = labelFilter(id);
  const containers = await sandboxContainers(id);
  await Promise.all(containers.map((c) => engineCall("DELETE", `/containers/${c.Id}?force=1&v=1`, undefined, [404])));
  const networks = (await engineCall("GET", `/networks?filters=${f}`)) as { Id: string }[];
  for (const n of networks) await engineCall("DELETE", `/networks/${n.Id}`, undefined, [404]);
  const volumes = ((await engineCall("GET", `/volumes?filters=${f}`)) as { Volumes: { Name: string }[] | null }).Volumes ?? [];
  for (const v of volumes) await engineCall("DELETE", `/volumes/${encodeURIComponent(v.Name)}?force=1`, undefined, [404]);
  const images = (await engineCall("GET", `/images/json?filters=${f}`)) as { Id: string }[];
  for (const i of images) await engineCall("DELETE", `/images/${i.Id}`, undefined, [404, 409]);
}
