// The sandbox runtime: one container per sandbox on the host's Docker engine, as Daytona's runners
// do. This file puts the parts together: lifecycle.ts (containers), processes.ts (execs, the toolbox
// agent and files), images.ts (commits and builds), archives.ts (archive files), connect.ts (preview
// connections), reconcile.ts (start-up and purge), and the helpers pool.ts, watchdog.ts, dind.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import type { SandboxRuntime } from "../contract";
import { createArchives } from "./archives";
import { homeOf, INSTANCE_LABEL, instanceId } from "./containers";
import { createConnector } from "./connect";
import type { RuntimeCore } from "./core";
import { nameOf } from "./core";
import { createDind } from "./dind";
import { connectEngine, ensureNetwork } from "./engine";
import { createImages } from "./images";
import { createLifecycle } from "./lifecycle";
import { MetricsSampler } from "./metrics";
import { WarmPool } from "./pool";
import { createProcesses } from "./processes";
import { purgeInstance, removeOrphanContainers } from "./reconcile";
import { Watchdog } from "./watchdog";

export const BASE_IMAGE = "daytona-local/sandbox:latest";
export const DIND_IMAGE = "daytona-local/sandbox-dind:latest";
/** In the data dir: this server's instance id (the value of the instance label on the engine). */
export const INSTANCE_FILE = "engine-instance";

export interface RuntimeOptions {
  dataDir: string;
  log?: (line: string) => void;
  /** Ready containers kept per default image (0 turns the pool off). */
  poolSize?: number;
}

export async function createRuntime(opts: RuntimeOptions): Promise<SandboxRuntime> {
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const dataDir = fs.realpathSync(opts.dataDir);
  const instance = instanceId(dataDir);
  // Names the instance label of this data dir's engine objects (docker ps -a --filter label=...=<id>);
  // test harnesses find data dirs by it to purge them (local-server --purge --data <dir>).
  fs.writeFileSync(path.join(dataDir, INSTANCE_FILE), `${instance}\n`);
  const { docker, description, hostCpus } = await connectEngine([BASE_IMAGE]);
  await ensureNetwork(docker);
  const watchdog = new Watchdog(docker);
  const core: RuntimeCore = {
    docker,
    instance,
    dataDir,
    hostCpus,
    log,
    watchdog,
    pool: new WarmPool(docker, instance, hostCpus, opts.poolSize ?? 0, log, (cid) => watchdog.hold(cid)),
    dind: createDind(docker, dataDir, instance, log),
    infos: new Map(),
  };
  const processes = createProcesses(core);
  const lifecycle = createLifecycle(core, processes);
  const images = createImages(core, lifecycle, processes);
  const archives = createArchives(core, lifecycle, images);
  const connector = createConnector(core, lifecycle, processes);
  const sampler = new MetricsSampler(docker);

  const runtime: SandboxRuntime = {
    description,
    baseImage: BASE_IMAGE,
    dindImage: DIND_IMAGE,
    create: lifecycle.create,
    start: lifecycle.start,
    stop: lifecycle.stop,
    status: lifecycle.status,

    async remove(id) {
      await lifecycle.remove(id);
      await images.removeOwned(id);
      await archives.discard(id);
    },

    commit: (id, kind, ownerId) => images.commit(id, kind, ownerId),
    archive: archives.archive,
    restore: (info) => archives.restore(info),
    hasArchive: archives.has,
    build: images.build,
    imageExists: images.imageExists,
    removeImage: images.removeImage,
    address: connector.address,
    connect: connector.connect,
    homeDir: (info) => homeOf(info.user),
    metrics: (info, limits) => sampler.sample(info.id, nameOf(core, info.id), limits),
    spawn: processes.spawn,
    files: processes.files,
    killAll: processes.killAll,

    async reconcile(known) {
      await removeOrphanContainers(core, known);
      await core.dind.reconcile(known);
      await archives.reconcile(known);
    },

    purgeInstance: () => purgeInstance(docker, instance, dataDir),

    async close() {
      await processes.closeAll();
      await core.pool.close();
      await core.dind.closeAll();
      const running = await docker.listContainers({ filters: { label: [`${INSTANCE_LABEL}=${instance}`], status: ["running"] } }).catch(() => []);
      await Promise.allSettled(running.map((c) => docker.getContainer(c.Id).stop({ t: 1 })));
      watchdog.releaseAll();
    },
  };

  await core.pool.start([BASE_IMAGE]);
  return runtime;
}
