// Archive and start-from-archived. Archive commits the stopped container, writes the commit to
// <data>/archives/<id>.tar without the layers of the image the sandbox was made from (archiveTar.ts),
// then removes the container and the commit from the engine. Start-from-archived loads the file (the
// engine skips the layers it has), makes the container of it and deletes the file. A file is written as
// <id>.tar.partial and renamed when complete; start-up (reconcile) removes what a kill left.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import type { SandboxRuntimeInfo } from "../contract";
import { readArchiveMeta, writeArchive, type ArchiveMeta } from "./archiveTar";
import { imageRef, INSTANCE_LABEL, KIND_LABEL, OWNER_LABEL } from "./containers";
import type { RuntimeCore } from "./core";
import type { Images } from "./images";
import type { Lifecycle } from "./lifecycle";

/** On archive commits: the image the archive leaves out (the sandbox's own image, which stays). */
export const ARCHIVE_BASE_LABEL = "io.daytona.local.archive-base";

export interface Archives {
  archive(id: string): Promise<{ file: string; sizeBytes: number }>;
  restore(info: SandboxRuntimeInfo): Promise<void>;
  has(id: string): Promise<boolean>;
  /** Delete the sandbox's archive file (and a half-written one). */
  discard(id: string): Promise<void>;
  /**
   * Start-up: remove half-written files, files of sandboxes not in `known` or that have a container
   * (the container is the truth), and archive images no container uses.
   */
  reconcile(known: Set<string>): Promise<void>;
}

export class ArchiveBaseMissingError extends Error {}

export function createArchives(core: RuntimeCore, lifecycle: Lifecycle, images: Images): Archives {
  const { docker, instance } = core;
  const dir = path.join(core.dataDir, "archives");
  const fileOf = (id: string) => path.join(dir, `${id}.tar`);
  const partialOf = (id: string) => `${fileOf(id)}.partial`;

  async function fsyncPath(p: string): Promise<void> {
    const h = await fs.promises.open(p, "r");
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  }

  /** Load the file into the engine; a missing base is said as such. */
  async function load(id: string): Promise<void> {
    const file = fileOf(id);
    const res = (await docker.loadImage(fs.createReadStream(file), { quiet: true })) as Readable;
    let text = "";
    for await (const c of res) text += (c as Buffer).toString("utf8");
    const failure = text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { error?: string; errorDetail?: { message?: string } })
      .find((m) => m.error || m.errorDetail);
    if (!failure) return;
    const why = failure.errorDetail?.message ?? failure.error ?? "?";
    if (/layer\.tar|no such file/i.test(why)) {
      const meta: ArchiveMeta | undefined = await readArchiveMeta(fs.createReadStream(file)).catch(() => undefined);
      const base = meta ? `${meta.baseTags.join(", ") || "untagged"} (${meta.baseImage})` : "the image the sandbox was made from";
      throw new ArchiveBaseMissingError(`the archive ${file} holds only what the sandbox changed on top of ${base}, and that image is no longer on the Docker engine; restore it there (scripts/setup-images.sh for the default images) or delete the sandbox (engine: ${why})`);
    }
    throw new Error(`loading the archive ${file} failed: ${why}`);
  }

  return {
    async archive(id) {
      const st = await lifecycle.inspect(id);
      if (!st) throw new Error(`the sandbox's container is gone`);
      // The layers left out are those of the image the sandbox was made from; a container made from an
      // earlier archive names that image on its own image, which goes away with this archive.
      const own = await docker.getImage(st.Image).inspect();
      const labels = own.Config?.Labels ?? {};
      const fromArchive = labels[KIND_LABEL] === "archive" && labels[OWNER_LABEL] === id && labels[INSTANCE_LABEL] === instance;
      const baseId = (fromArchive && labels[ARCHIVE_BASE_LABEL]) || own.Id;
      const base = await docker
        .getImage(baseId)
        .inspect()
        .catch(() => undefined);
      const committed = await images.commit(id, "archive", id, { [ARCHIVE_BASE_LABEL]: baseId });
      await fs.promises.mkdir(dir, { recursive: true });
      const partial = partialOf(id);
      const meta: ArchiveMeta = { sandboxId: id, baseImage: baseId, baseTags: base?.RepoTags ?? [], createdAt: new Date().toISOString() };
      const out = fs.createWriteStream(partial, { mode: 0o600 });
      try {
        const save = (await docker.getImage(committed.image).get()) as Readable;
        await writeArchive(save, out, base?.RootFS?.Layers ?? [], meta);
        await fsyncPath(partial);
        await fs.promises.rename(partial, fileOf(id));
        await fsyncPath(dir);
      } catch (e) {
        out.destroy();
        await fs.promises.rm(partial, { force: true });
        await images.removeOwned(id, ["archive"]).catch(() => undefined);
        throw e;
      }
      // The file is the truth from here: the container and the archive images go.
      await lifecycle.removeContainer(id);
      await images.removeOwned(id, ["archive"]);
      return { file: fileOf(id), sizeBytes: (await fs.promises.stat(fileOf(id))).size };
    },

    async restore(info) {
      if (!(await this.has(info.id))) throw new Error(`its archive ${fileOf(info.id)} is gone`);
      await load(info.id);
      // The loaded image stays while the container lives (removed with it, or by the next archive).
      await lifecycle.create(info, imageRef(instance, "archive", info.id).name);
      await fs.promises.rm(fileOf(info.id), { force: true });
    },

    async has(id) {
      return fs.promises.access(fileOf(id)).then(
        () => true,
        () => false,
      );
    },

    async discard(id) {
      await fs.promises.rm(partialOf(id), { force: true });
      await fs.promises.rm(fileOf(id), { force: true });
    },

    async reconcile(known) {
      const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
      for (const n of names) {
        const id = n.endsWith(".tar") ? n.slice(0, -4) : undefined;
        const why = id === undefined ? "an unfinished archive" : !known.has(id) ? "no sandbox of this server owns it" : (await lifecycle.status(id)) !== "missing" ? "its sandbox has a container" : undefined;
        if (!why) continue;
        core.log(`removing ${path.join(dir, n)}: ${why}`);
        await fs.promises.rm(path.join(dir, n), { force: true });
      }
      // Archive images outlive their archive only while a container made from one uses it.
      const left = await docker.listImages({ filters: { label: [`${INSTANCE_LABEL}=${instance}`, `${KIND_LABEL}=archive`] } }).catch(() => []);
      for (const img of left) {
        const owner = img.Labels?.[OWNER_LABEL];
        const inUse = owner ? (await lifecycle.inspect(owner))?.Image === img.Id : false;
        if (!inUse) await images.removeListed(img);
      }
    },
  };
}
