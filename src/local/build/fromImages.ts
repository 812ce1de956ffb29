// FROM lines of a Dockerfile mapped onto images the local engine has (no registry is reached):
// a local snapshot's name -> its image; a Docker-in-Docker image (docker:*-dind) -> the local DinD
// image; an image the engine has -> itself; any other name -> the local base image, said in the log
// (the extension's fixtures name python:3.12-slim, node:20 and the like; the base has python and node).
// Stage names (FROM x AS build ... FROM build) and scratch are left alone.
import type { ApiContext } from "../api/context";
import { isDindImage } from "../docker/image";
import { localImageFor } from "../api/snapshots";
import { substitute } from "./dockerfile";

const FROM_RE = /^(\s*FROM\s+)((?:--\S+\s+)*)(\S+)(.*)$/i;
const ARG_RE = /^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?\s*$/i;

export async function mapFromLines(ctx: ApiContext, dockerfile: string, log: (line: string) => void): Promise<{ text: string; dind: boolean }> {
  const lines = dockerfile.replace(/\r\n?/g, "\n").split("\n");
  const args: Record<string, string> = {};
  const stages = new Set<string>();
  let sawFrom = false;
  let dind = false;
  for (let i = 0; i < lines.length; i++) {
    const arg = !sawFrom ? ARG_RE.exec(lines[i]) : null;
    if (arg) args[arg[1]] = (arg[2] ?? "").replace(/^["']|["']$/g, "");
    const m = FROM_RE.exec(lines[i]);
    if (!m) continue;
    sawFrom = true;
    const named = substitute(m[3], args);
    const stage = /\s+AS\s+(\S+)/i.exec(m[4])?.[1];
    if (stage) stages.add(stage.toLowerCase());
    if (named.toLowerCase() === "scratch" || stages.has(named.toLowerCase())) continue;
    let image: string;
    const snap = ctx.store.findSnapshot(named);
    if (snap && snap.state === "active" && (snap.engineImage || snap.general)) {
      image = snap.engineImage ?? ctx.runtime.baseImage;
      if (snap.image?.dind) dind = true;
      log(`line ${i + 1}: FROM ${named}: the local snapshot ${snap.name} (${image})`);
    } else {
      image = await localImageFor(ctx, named);
      if (isDindImage(named)) dind = true;
      if (image !== named) log(`line ${i + 1}: FROM ${named}: not on the local engine (no registry is used), building from ${image}`);
    }
    lines[i] = `${m[1]}${m[2]}${image}${m[4]}`;
  }
  if (!sawFrom) throw new Error("the Dockerfile has no FROM line");
  return { text: lines.join("\n"), dind };
}
