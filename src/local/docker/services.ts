// What a DinD sandbox made on the engine, found by the label its proxy puts on every container,
// network, volume and image it creates (guard.ts): stopped with the sandbox, started again with it,
// removed with it.
//
// The compose labels alone cannot say which sandbox a project belongs to: docker-compose (v1 and v2)
// records the project's working_dir as the client saw it, /home/daytona/... in every sandbox alike.
import { promises as fs } from "node:fs";
import type Docker from "dockerode";
import { startWithBinds } from "./binds";
import { DIND_INSTANCE_LABEL, DIND_LABEL } from "./guard";
import { BINDS_LABEL } from "./guardRules";

export const SANDBOX_LABEL = DIND_LABEL;

/** Seconds a container gets between SIGTERM and SIGKILL when its sandbox stops (a stop is not graceful for processes either). */
const STOP_GRACE_S = 2;

const mine = (id: string) => ({ label: [`${DIND_LABEL}=${id}`] });

export async function sandboxContainers(docker: Docker, id: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: mine(id) });
}

const ignore =
  (...codes: number[]) =>
  (e: unknown) => {
    if (!codes.includes((e as { statusCode?: number }).statusCode ?? 0)) throw e;
  };

/**
 * Stop the sandbox's running containers and remember which they were (in `recordPath`), so that
 * start brings back exactly those and not the ones a person had stopped on purpose.
 */
export async function stopSandboxContainers(docker: Docker, id: string, recordPath: string): Promise<void> {
  const running = (await sandboxContainers(docker, id)).filter((c) => c.State === "running" || c.State === "paused" || c.State === "restarting");
  let previous: string[] = [];
  try {
    previous = JSON.parse(await fs.readFile(recordPath, "utf8")) as string[];
  } catch {
    previous = [];
  }
  const ids = [...new Set([...previous, ...running.map((c) => c.Id)])];
  await fs.writeFile(recordPath, JSON.stringify(ids));
  await Promise.all(running.map((c) => docker.getContainer(c.Id).stop({ t: STOP_GRACE_S }).catch(ignore(304, 404))));
}

/**
 * Start what stopSandboxContainers stopped (only containers that still carry this sandbox's label);
 * those with bind mounts of the sandbox's paths start with the sandbox frozen (binds.ts).
 */
export async function startSandboxContainers(docker: Docker, id: string, recordPath: string, sandboxContainer: string): Promise<void> {
  let ids: string[];
  try {
    ids = JSON.parse(await fs.readFile(recordPath, "utf8")) as string[];
  } catch {
    return;
  }
  const byId = new Map((await sandboxContainers(docker, id)).map((c) => [c.Id, c]));
  const errors: string[] = [];
  for (const cid of ids) {
    const c = byId.get(cid);
    if (!c || c.State === "running") continue;
    // In order: compose made them in dependency order, so the first recorded is the first needed.
    const start = () => docker.getContainer(cid).start().catch(ignore(304));
    await (c.Labels[BINDS_LABEL] ? startWithBinds(docker, { sandboxContainer, label: `${DIND_LABEL}=${id}`, container: cid, start }) : start()).catch((err: unknown) =>
      errors.push(err instanceof Error ? err.message : String(err)),
    );
  }
  await fs.rm(recordPath, { force: true });
  if (errors.length) throw new Error(`could not restart the sandbox's containers: ${errors.join("; ")}`);
}

/**
 * Remove every container (with its anonymous volumes), network and volume the sandbox made, and the
 * images it built (an image another container still uses stays: the engine answers 409).
 */
export async function removeSandboxObjects(docker: Docker, id: string): Promise<void> {
  const containers = await sandboxContainers(docker, id);
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignore(404, 409))));
  for (const n of await docker.listNetworks({ filters: mine(id) })) await docker.getNetwork(n.Id).remove().catch(ignore(404, 409));
  const volumes = (await docker.listVolumes({ filters: mine(id) })).Volumes ?? [];
  for (const v of volumes) await docker.getVolume(v.Name).remove({ force: true }).catch(ignore(404, 409));
  for (const i of await docker.listImages({ filters: mine(id) })) await docker.getImage(i.Id).remove({ force: true }).catch(ignore(404, 409));
}

/** Ids of the sandboxes of this instance that have containers, networks or volumes on the engine. */
export async function sandboxesWithObjects(docker: Docker, instance: string): Promise<Set<string>> {
  const filters = { label: [`${DIND_INSTANCE_LABEL}=${instance}`, DIND_LABEL] };
  const ids = new Set<string>();
  for (const c of await docker.listContainers({ all: true, filters })) ids.add(c.Labels[DIND_LABEL]);
  for (const n of await docker.listNetworks({ filters })) ids.add(n.Labels?.[DIND_LABEL] ?? "");
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) ids.add(v.Labels?.[DIND_LABEL] ?? "");
  ids.delete("");
  return ids;
}
