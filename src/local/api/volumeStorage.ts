// Volume data on the host: <dataDir>/volumes/<volumeId>, bound into sandboxes at their mount paths.
// Daytona keeps volumes in object storage behind a FUSE mount; the twin keeps a directory, which
// gives the same visible behaviour (shared between sandboxes, kept after they are deleted).
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { VolumeStorage } from "../contract";
import { HttpError } from "../http/util";
import { removeDir } from "../fsutil";

export function hostDirVolumeStorage(dataDir: string): VolumeStorage {
  const root = path.join(dataDir, "volumes");
  const dirOf = (id: string): string => {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new HttpError(400, `invalid volume id ${JSON.stringify(id)}`);
    return path.join(root, id);
  };
  return {
    async create(id) {
      await fs.mkdir(dirOf(id), { recursive: true });
    },
    async remove(id) {
      await removeDir(dirOf(id));
    },
    source(id, subpath) {
      const base = dirOf(id);
      if (!subpath) return base;
      const inner = path.posix.normalize("/" + subpath).slice(1);
      if (inner.split("/").includes("..")) throw new HttpError(400, `invalid volume subpath ${JSON.stringify(subpath)}`);
      return inner ? path.join(base, inner) : base;
    },
  };
}
