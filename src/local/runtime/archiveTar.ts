// The archive file of an archived sandbox: the engine's `docker save` of the commit, without the layers
// of the image the sandbox was made from (the engine keeps that image; `docker load` skips every layer
// whose chain id it already has, so the file loads back as it is). Without this a 50 MB change would
// cost an 800 MB file. A layer is left out only when it is proven to be one of the base image's:
// - the save format of Docker up to 24 names a layer's directory by its v1 id, a digest of the
//   directory's `json` and the layer's chain id: the id is computed for each of the base's chain ids;
// - the OCI layout of Docker 25 and later names layer blobs by their digest, which is the diff id.
// Anything not proven stays in the file (bigger, never broken).
import { createHash } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import * as tar from "tar-stream";

/** An entry's content stream (a streamx Readable: async-iterable like node's). */
type EntryStream = AsyncIterable<unknown>;

/** Appended to the file: what it needs on the engine to load (for a clear error when that is gone). */
export const ARCHIVE_META = "daytona-archive.json";

export interface ArchiveMeta {
  sandboxId: string;
  /** The image whose layers the file leaves out: id and tags. */
  baseImage: string;
  baseTags: string[];
  createdAt: string;
}

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/** The engine's chain ids of an image's layers (RootFS.Layers, the diff ids). */
export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) out.push(out.length === 0 ? d : `sha256:${sha256(`${out[out.length - 1]} ${d}`)}`);
  return out;
}

/**
 * The v1 id the engine gives a layer directory of a save, from the directory's `json` and the layer's
 * chain id (moby's CreateID: the json without id and os, with layer_id and the parent as a digest,
 * keys sorted). Only a layer that is not the image's top one has a json this reproduces exactly.
 */
export function legacyLayerId(json: Record<string, unknown>, chainId: string): string {
  const m: Record<string, unknown> = { ...json, layer_id: chainId };
  delete m.id;
  delete m.os;
  if (typeof m.parent === "string") m.parent = `sha256:${m.parent}`;
  const body = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`)
    .join(",");
  return sha256(`{${body}}`);
}

export interface FilterResult {
  /** Layer files written to the archive and left out of it. */
  kept: string[];
  skipped: string[];
}

async function readAll(entry: EntryStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of entry) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function drain(entry: EntryStream): Promise<void> {
  for await (const _ of entry) void _;
}

/** tar-stream's streams are streamx streams: piped by hand, not with node's pipeline. */
function feed(source: Readable, extract: tar.Extract): void {
  source.on("error", (e) => extract.destroy(e));
  source.pipe(extract);
}

function addEntry(pack: tar.Pack, header: tar.Header | (Partial<tar.Header> & { name: string }), body: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => pack.entry(header, body, (e) => (e ? reject(e) : resolve())));
}

async function copyEntry(pack: tar.Pack, header: tar.Header, entry: EntryStream): Promise<void> {
  let sink!: ReturnType<tar.Pack["entry"]>;
  const done = new Promise<void>((resolve, reject) => {
    sink = pack.entry(header, (e) => (e ? reject(e) : resolve()));
  });
  for await (const c of entry) if (!sink.write(c as Buffer)) await new Promise<void>((r) => sink.once("drain", () => r()));
  sink.end(undefined);
  await done;
}

/**
 * Copy a `docker save` stream to `out`, leaving out the layers of the base (its diff ids), then append
 * the meta entry. Resolves when `out` has everything.
 */
export async function writeArchive(save: Readable, out: Writable, baseDiffIds: string[], meta: ArchiveMeta): Promise<FilterResult> {
  const chains = chainIds(baseDiffIds);
  const diffIds = new Set(baseDiffIds);
  const baseDirs = new Set<string>();
  const result: FilterResult = { kept: [], skipped: [] };
  const extract = tar.extract();
  const pack = tar.pack();
  const written = new Promise<void>((resolve, reject) => {
    out.once("finish", resolve);
    out.once("error", reject);
    pack.once("error", reject);
  });
  pack.pipe(out);
  feed(save, extract);
  let sawManifest = false;
  for await (const entry of extract) {
    const h = entry.header;
    const name = h.name.replace(/^\.\//, "");
    const [dir, file] = name.split("/", 2);
    let skip = false;
    if (file === "layer.tar" && h.type === "file") skip = baseDirs.has(dir);
    else if (dir === "blobs" && h.type === "file") skip = diffIds.has(`sha256:${name.split("/").pop() ?? ""}`) && name.startsWith("blobs/sha256/");
    if (skip) {
      result.skipped.push(name);
      await drain(entry);
      continue;
    }
    if (h.type === "file" && (h.size ?? 0) <= 1024 * 1024) {
      const body = await readAll(entry);
      if (file === "json") {
        const json = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
        if (typeof json.id === "string" && chains.some((c) => legacyLayerId(json, c) === json.id)) baseDirs.add(dir);
      }
      if (name === "manifest.json") sawManifest = true;
      if (file === "layer.tar" || name.startsWith("blobs/")) result.kept.push(name);
      await addEntry(pack, h, body);
      continue;
    }
    if (file === "layer.tar" || name.startsWith("blobs/")) result.kept.push(name);
    await copyEntry(pack, h, entry);
  }
  if (!sawManifest) throw new Error("the engine's image export has no manifest.json");
  const metaBody = Buffer.from(JSON.stringify(meta, null, 2));
  await addEntry(pack, { name: ARCHIVE_META, size: metaBody.length, mode: 0o644, mtime: new Date() }, metaBody);
  pack.finalize();
  await written;
  return result;
}

/** The meta entry of an archive file (undefined when it has none). */
export async function readArchiveMeta(file: Readable): Promise<ArchiveMeta | undefined> {
  const extract = tar.extract();
  feed(file, extract);
  let meta: ArchiveMeta | undefined;
  for await (const entry of extract) {
    if (entry.header.name === ARCHIVE_META) meta = JSON.parse((await readAll(entry)).toString("utf8")) as ArchiveMeta;
    else await drain(entry);
  }
  return meta;
}
