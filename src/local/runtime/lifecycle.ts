// A sandbox's container from create to removal: create (a warm-pool container when one fits), start
// after a stop or a server restart, stop, remove, status. The watchdog holds each running container.
import * as fs from "node:fs";
import type Docker from "dockerode";
import { ToolboxError, type SandboxRuntimeInfo } from "../contract";
import { containerSpec, PARTIAL_LABEL } from "./containers";
import { checkInfo, engineStatus, nameOf, type RuntimeCore } from "./core";
import { isNotFound } from "./engine";
import { runRoot } from "./exec";
import type { Processes } from "./processes";

/** The uid of the images' user daytona (scripts/setup-images.sh). */
const SANDBOX_UID = 1000;

export interface Lifecycle {
  create(info: SandboxRuntimeInfo, image: string): Promise<void>;
  start(info: SandboxRuntimeInfo): Promise<void>;
  stop(id: string): Promise<void>;
  /** Remove the container and the sandbox's DinD objects (images and archives: see index.ts). */
  remove(id: string): Promise<void>;
  status(id: string): Promise<"running" | "stopped" | "missing">;
  inspect(id: string): Promise<Docker.ContainerInspectInfo | undefined>;
  removeContainer(id: string): Promise<void>;
}

export function createLifecycle(core: RuntimeCore, processes: Processes): Lifecycle {
  const { docker, dind, pool, watchdog } = core;
  const name = (id: string) => nameOf(core, id);

  /** Remove the upload files a commit caught half-written (named on the image) from a new container. */
  async function dropPartialUploads(id: string, image: string): Promise<void> {
    const label = (await docker.getImage(image).inspect().catch(() => undefined))?.Config?.Labels?.[PARTIAL_LABEL];
    const paths = label ? (JSON.parse(label) as string[]) : [];
    if (paths.length === 0) return;
    await runRoot(docker, name(id), ["rm", "-f", "--", ...paths]);
  }

  async function inspect(id: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await docker.getContainer(name(id)).inspect();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async function removeContainer(id: string): Promise<void> {
    const cid = (await inspect(id))?.Id;
    if (cid) watchdog.release(cid);
    await docker
      .getContainer(name(id))
      .remove({ force: true, v: true })
      .catch((e: unknown) => {
        if (!isNotFound(e) && !String(e).includes("already in progress")) throw e;
      });
  }

  /** A volume's directory (or subpath) exists and belongs to the sandbox user before it is bound. */
  async function prepareVolumes(info: SandboxRuntimeInfo): Promise<void> {
    for (const v of info.volumes ?? []) {
      await fs.promises.mkdir(v.source, { recursive: true });
      const st = await fs.promises.lstat(v.source);
      if (!st.isDirectory()) throw new ToolboxError(400, "BAD_REQUEST", `volume source for ${v.mountPath} is not a directory`);
      if (info.user !== "root" && st.uid === 0) await fs.promises.chown(v.source, SANDBOX_UID, SANDBOX_UID).catch(() => undefined);
    }
  }

  return {
    inspect,
    removeContainer,

    async create(info, image) {
      checkInfo(info);
      core.infos.set(info.id, info);
      await removeContainer(info.id);
      const socketDir = info.docker ? await dind.open(info.id) : undefined;
      await prepareVolumes(info);
      // Warm containers have no binds: a sandbox with volumes gets a container of its own.
      if (!socketDir && !info.networkBlockAll && !info.volumes?.length && (await pool.claim(image, info, name(info.id)))) return;
      const c = await docker.createContainer(containerSpec(info, { instance: core.instance, image, hostCpus: core.hostCpus, dockerSocketDir: socketDir }));
      await c.start();
      await watchdog.hold(c.id);
      await dropPartialUploads(info.id, image);
      if (info.docker) await dind.resume(info.id);
      pool.refill(image);
    },

    async start(info) {
      checkInfo(info);
      core.infos.set(info.id, info);
      const st = await inspect(info.id);
      if (!st) throw new Error(`the sandbox's container ${name(info.id)} is gone`);
      if (info.docker) await dind.open(info.id);
      if (!st.State.Running) await docker.getContainer(name(info.id)).start();
      await watchdog.hold(st.Id);
      if (info.docker) await dind.resume(info.id);
    },

    async stop(id) {
      // Stopping the container ends every process in it at once (no kill per process first).
      processes.forget(id);
      await dind.release(id, "stop");
      const cid = (await inspect(id))?.Id;
      await docker
        .getContainer(name(id))
        .stop({ t: 1 })
        .catch((e: unknown) => {
          const status = engineStatus(e);
          if (status !== 304 && status !== 404) throw e;
        });
      if (cid) watchdog.release(cid);
      await processes.settled(id);
    },

    async remove(id) {
      processes.forget(id);
      // The container first: networks it joined cannot be removed while it is attached to them.
      await removeContainer(id);
      await processes.settled(id);
      await dind.release(id, "remove");
    },

    async status(id) {
      const st = await inspect(id);
      return !st ? "missing" : st.State.Running ? "running" : "stopped";
    },
  };
}
