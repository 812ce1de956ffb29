// Images this server makes: commits (snapshot, fork, archive), Dockerfile builds, and their removal.
// Every one carries the instance label, what made it (kind) and for which id (owner), and is tagged
// daytona-local/i-<instance>:<kind>-<owner>; only those are ever removed.
import type Docker from "dockerode";
import type { BuildRequest, ImageInfo } from "../contract";
import { buildImage } from "./build";
import { imageRef, INSTANCE_LABEL, KIND_LABEL, OWNER_LABEL, PARTIAL_LABEL } from "./containers";
import { engineStatus, nameOf, type RuntimeCore } from "./core";
import { isNotFound } from "./engine";
import type { Lifecycle } from "./lifecycle";
import type { Processes } from "./processes";

export type CommitKind = "snapshot" | "fork" | "archive";

export interface Images {
  commit(id: string, kind: CommitKind, ownerId: string, labels?: Record<string, string>): Promise<ImageInfo>;
  build(req: BuildRequest): Promise<ImageInfo>;
  imageExists(image: string): Promise<boolean>;
  /** Remove an image this instance made (by tag); one still used by a container or an image stays. */
  removeImage(image: string): Promise<void>;
  /** Remove the images `id` owns (forks, builds, archives; `kinds` narrows it); snapshots stay. */
  removeOwned(id: string, kinds?: CommitKind[]): Promise<void>;
  /** Remove one image of an engine listing (by its tags of this instance, else by id when untagged). */
  removeListed(img: Docker.ImageInfo): Promise<void>;
}

export function createImages(core: RuntimeCore, lifecycle: Lifecycle, processes: Processes): Images {
  const { docker, instance } = core;
  const ownRepo = imageRef(instance, "x", "x").repo;
  const tolerate = (e: unknown) => {
    const status = engineStatus(e);
    if (status !== 404 && status !== 409) throw e;
  };

  async function removeImage(image: string): Promise<void> {
    // Only images this instance made: the defaults and anything else on the engine stay.
    if (!image.startsWith(`${ownRepo}:`)) return;
    await docker.getImage(image).remove({ noprune: false }).catch(tolerate);
  }

  const images: Images = {
    removeImage,
    removeListed,

    async commit(id, kind, ownerId, extra = {}) {
      const ref = imageRef(instance, kind, ownerId);
      // Uploads in flight are hidden siblings (".name.daytona-upload-*"), not finished files: the image
      // names them and containers made from it remove them before anything runs there.
      const info = core.infos.get(id);
      const partial = info && (await lifecycle.status(id)) === "running" ? await processes.agent(info).then((a) => a.inflight()).catch(() => [] as string[]) : [];
      const labels = { [INSTANCE_LABEL]: instance, [KIND_LABEL]: kind, [OWNER_LABEL]: ownerId, [PARTIAL_LABEL]: JSON.stringify(partial), ...extra };
      const change = `LABEL ${Object.entries(labels)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(" ")}`;
      await docker.getContainer(nameOf(core, id)).commit({ repo: ref.repo, tag: ref.tag, pause: true, changes: [change] });
      const img = await docker.getImage(ref.name).inspect();
      return { image: ref.name, sizeBytes: img.Size };
    },

    async build(req) {
      const ref = imageRef(instance, "build", req.ownerId);
      await buildImage(docker, { ...req, tag: ref.name, labels: { [INSTANCE_LABEL]: instance, [KIND_LABEL]: "build", [OWNER_LABEL]: req.ownerId } });
      const img = await docker.getImage(ref.name).inspect();
      // The built image's ENTRYPOINT and CMD (containers run `cat` as PID 1; the toolbox runs these).
      const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : typeof v === "string" ? [v] : undefined);
      const entrypoint = strings(img.Config?.Entrypoint);
      const cmd = strings(img.Config?.Cmd);
      return { image: ref.name, sizeBytes: img.Size, ...(entrypoint?.length ? { entrypoint } : {}), ...(cmd?.length ? { cmd } : {}) };
    },

    async imageExists(image) {
      try {
        await docker.getImage(image).inspect();
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },

    async removeOwned(id, kinds) {
      const listed = await docker.listImages({ filters: { label: [`${INSTANCE_LABEL}=${instance}`, `${OWNER_LABEL}=${id}`] } }).catch(() => []);
      for (const img of listed) {
        const kind = img.Labels?.[KIND_LABEL];
        if (kind === "snapshot" || (kinds && !kinds.includes(kind as CommitKind))) continue;
        await removeListed(img);
      }
    },
  };

  async function removeListed(img: Docker.ImageInfo): Promise<void> {
    const tags = (img.RepoTags ?? []).filter((t) => t.startsWith(`${ownRepo}:`));
    // An image whose tag moved on (a commit of a container made from an earlier archive) is untagged.
    if (tags.length === 0) await docker.getImage(img.Id).remove({ noprune: false }).catch(tolerate);
    for (const tag of tags) await removeImage(tag);
  }

  return images;
}
