// What this instance has on the engine, set straight: at start-up, containers no sandbox owns go; for
// throw-away data dirs (tests, the measurement script), everything of the instance goes (purge).
import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import { imageRef, INSTANCE_LABEL, instanceId } from "./containers";
import type { RuntimeCore } from "./core";
import { engineSocketPath } from "./engine";

/** Remove containers of this instance whose sandbox is not in `known` (orphans of an earlier run). */
export async function removeOrphanContainers(core: RuntimeCore, known: Set<string>): Promise<void> {
  const { docker, instance } = core;
  const mine = await docker.listContainers({ all: true, filters: { label: [`${INSTANCE_LABEL}=${instance}`] } });
  for (const c of mine) {
    const cname = (c.Names[0] ?? "").replace(/^\//, "");
    if (cname.startsWith(core.pool.prefix)) continue;
    const id = cname.startsWith(`daytona-${instance}-`) ? cname.slice(`daytona-${instance}-`.length) : "";
    if (known.has(id)) continue;
    core.log(`removing container ${cname}: no sandbox of this server owns it`);
    await docker
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
}

export interface PurgeCount {
  containers: number;
  images: number;
  networks: number;
  volumes: number;
}

/**
 * Remove every engine object with this instance's label (containers, images, networks, volumes),
 * every image tagged in its repository, and its archive files. Other instances' objects are never
 * touched. An image another one builds on is removed in a later round, after its children.
 */
export async function purgeInstance(docker: Docker, instance: string, dataDir?: string): Promise<PurgeCount> {
  const filters = { label: [`${INSTANCE_LABEL}=${instance}`] };
  const count: PurgeCount = { containers: 0, images: 0, networks: 0, volumes: 0 };
  const ok = (k: keyof PurgeCount) => () => void count[k]++;
  const ignore = () => undefined;
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).then(ok("containers"), ignore);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().then(ok("networks"), ignore);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove({ force: true }).then(ok("volumes"), ignore);
  const repo = imageRef(instance, "x", "x").repo;
  for (let round = 0; round < 10; round++) {
    const before = count.images;
    const labelled = await docker.listImages({ filters });
    for (const i of labelled) await docker.getImage(i.Id).remove({ force: true }).then(ok("images"), ignore);
    // Tags of this instance on images it did not make (never the image itself: untagging only).
    const tagged = await docker.listImages({ filters: { reference: [repo] } });
    for (const i of tagged) for (const t of i.RepoTags ?? []) if (t.startsWith(`${repo}:`)) await docker.getImage(t).remove({ noprune: false }).then(ok("images"), ignore);
    if (labelled.length + tagged.length === 0 || count.images === before) break;
  }
  if (dataDir) await fs.promises.rm(path.join(dataDir, "archives"), { recursive: true, force: true });
  return count;
}

/** purgeInstance for a data dir, without a running server (test helpers, scripts). */
export async function removeInstance(dataDir: string): Promise<PurgeCount> {
  const real = fs.realpathSync(dataDir);
  return purgeInstance(new Docker({ socketPath: engineSocketPath() }), instanceId(real), real);
}
