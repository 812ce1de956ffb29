// The instructions a local build honours. Anything else fails the build naming its line.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as tar from "tar";
import type { ImageConfig } from "../store/records";
import type { ApiContext } from "../api/context";
import { copyDir } from "../fsutil";
import { isDindImage } from "../docker/image";
import type { BuildTarget } from "./builder";
import { parseKeyValues, splitWords, substitute, type Instruction } from "./dockerfile";

export async function runInstructions(ctx: ApiContext, target: BuildTarget, instructions: Instruction[], contextDir: string, log: (t: string) => void): Promise<ImageConfig> {
  const image: ImageConfig = { env: {}, labels: {} };
  const args: Record<string, string> = {};
  let workdir = ctx.runtime.homeDir(target.info);
  let sawFrom = false;
  const vars = (): Record<string, string> => ({ ...args, ...image.env });
  for (const ins of instructions) {
    if (target.cancelled()) throw new Error("build cancelled");
    const where = `line ${ins.line}: ${ins.keyword}`;
    log(`Step ${ins.line}: ${ins.keyword} ${ins.json ? JSON.stringify(ins.json) : ins.args}`);
    try {
      if (!sawFrom && ins.keyword !== "FROM" && ins.keyword !== "ARG") throw new Error("the Dockerfile must start with FROM");
      switch (ins.keyword) {
        case "FROM": {
          if (sawFrom) throw new Error("multi-stage builds are not supported by the local server");
          sawFrom = true;
          const base = substitute(ins.args.split(/\s+/)[0] ?? "", args);
          const snap = ctx.store.findSnapshot(base);
          if (snap && snap.state === "active") {
            await copyDir(ctx.store.snapshotDir(snap.id), ctx.runtime.hostDir(target.info.id));
            if (snap.image) Object.assign(image, structuredClone(snap.image));
            log(`Using local snapshot ${snap.name} as the base`);
          } else {
            log(`${base} is not a local snapshot: the host system is the base (no image is pulled)`);
          }
          if (isDindImage(base)) {
            image.dind = true;
            log(`${base} is a Docker-in-Docker image: the sandbox drives the host's Docker engine`);
          }
          await ctx.runtime.prepare(target.info);
          workdir = image.workdir ?? workdir;
          break;
        }
        case "ARG":
          for (const word of splitWords(ins.args)) {
            const eq = word.indexOf("=");
            const name = eq < 0 ? word : word.slice(0, eq);
            if (!(name in args)) args[name] = eq < 0 ? "" : substitute(word.slice(eq + 1), vars());
          }
          break;
        case "ENV":
          for (const [k, v] of parseKeyValues(ins.args)) image.env[k] = substitute(v, vars());
          break;
        case "LABEL":
          for (const [k, v] of parseKeyValues(ins.args)) image.labels[k] = substitute(v, vars());
          break;
        case "WORKDIR": {
          workdir = path.posix.resolve(workdir, substitute(ins.args.trim(), vars()));
          await fs.mkdir(ctx.runtime.resolvePath(target.info, workdir, "write"), { recursive: true });
          image.workdir = workdir;
          break;
        }
        case "USER":
          image.user = substitute(ins.args.trim(), vars());
          log(`USER ${image.user} recorded; commands in local sandboxes run as the sandbox user`);
          break;
        case "CMD":
        case "ENTRYPOINT": {
          const argv = ins.json ?? ["/bin/sh", "-c", ins.args];
          if (ins.keyword === "CMD") image.cmd = argv;
          else image.entrypoint = argv;
          break;
        }
        case "EXPOSE":
          log("EXPOSE recorded (ports are reachable through preview URLs)");
          break;
        case "RUN":
          await run(ctx, target, ins, workdir, { ...args, ...image.env }, log);
          break;
        case "COPY":
        case "ADD":
          await copyFromContext(ctx, target, ins, contextDir, workdir, vars(), log);
          break;
        default:
          throw new Error("this instruction is not supported by the local server");
      }
    } catch (err) {
      throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!sawFrom) throw new Error("the Dockerfile has no FROM");
  return image;
}

async function run(ctx: ApiContext, target: BuildTarget, ins: Instruction, cwd: string, env: Record<string, string>, log: (t: string) => void): Promise<void> {
  if (ins.flags.mount) throw new Error("RUN --mount is not supported");
  const argv = ins.json ?? ["/bin/sh", "-c", ins.args];
  const proc = ctx.runtime.spawn(target.info, argv, { cwd, env });
  const forward = (chunk: Buffer): void => ctx.buildLogs.append(target.logId, chunk.toString("utf8"));
  proc.child.stdout?.on("data", forward);
  proc.child.stderr?.on("data", forward);
  const code = await proc.exited;
  if (code !== 0) throw new Error(`command exited with code ${code}`);
  log(`RUN finished (exit 0)`);
}

async function copyFromContext(ctx: ApiContext, target: BuildTarget, ins: Instruction, contextDir: string, workdir: string, vars: Record<string, string>, log: (t: string) => void): Promise<void> {
  if (ins.flags.from) throw new Error("COPY --from (multi-stage) is not supported");
  if (ins.args.includes("<<")) throw new Error("heredocs are not supported");
  const words = (ins.json ?? splitWords(ins.args)).map((w) => substitute(w, vars));
  if (words.length < 2) throw new Error("needs a source and a destination");
  const destRaw = words[words.length - 1];
  const sources = words.slice(0, -1);
  const dest = path.posix.resolve(workdir, destRaw);
  const intoDir = destRaw.endsWith("/") || sources.length > 1;
  if (ins.flags.chown || ins.flags.chmod) log("--chown/--chmod ignored: files belong to the sandbox user");
  for (const src of sources) {
    if (/^https?:\/\//.test(src)) throw new Error("remote sources are not supported");
    const matches = await matchContext(contextDir, src);
    if (matches.length === 0) throw new Error(`${src}: not found in the build context`);
    for (const rel of matches) {
      const from = path.join(contextDir, rel);
      const stat = await fs.stat(from);
      if (ins.keyword === "ADD" && stat.isFile() && /\.(tar|tar\.gz|tgz)$/.test(rel)) {
        const hostDest = ctx.runtime.resolvePath(target.info, dest, "write");
        await fs.mkdir(hostDest, { recursive: true });
        await tar.x({ file: from, cwd: hostDest });
        continue;
      }
      if (stat.isDirectory()) {
        await copyDir(from, ctx.runtime.resolvePath(target.info, dest, "write"));
      } else {
        const destIsDir = intoDir || matches.length > 1 || (await isDir(ctx.runtime.resolvePath(target.info, dest, "read")));
        const file = destIsDir ? path.posix.join(dest, path.posix.basename(rel)) : dest;
        const hostFile = ctx.runtime.resolvePath(target.info, file, "write");
        await fs.mkdir(path.dirname(hostFile), { recursive: true });
        await fs.copyFile(from, hostFile);
      }
    }
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Paths in the context matching `src` (plain path, or * and ? wildcards in the last segment). */
async function matchContext(contextDir: string, src: string): Promise<string[]> {
  const rel = path.posix.normalize(src.replace(/^\/+/, "")).replace(/\/+$/, "") || ".";
  if (rel.startsWith("..")) throw new Error(`${src} is outside the build context`);
  if (!/[*?]/.test(rel)) {
    try {
      await fs.access(path.join(contextDir, rel));
      return [rel];
    } catch {
      return [];
    }
  }
  const dir = path.posix.dirname(rel);
  if (/[*?]/.test(dir)) throw new Error("wildcards are supported in the last path segment only");
  const re = new RegExp(`^${path.posix.basename(rel).replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  let names: string[];
  try {
    names = await fs.readdir(path.join(contextDir, dir));
  } catch {
    return [];
  }
  return names.filter((n) => re.test(n)).map((n) => path.posix.join(dir, n));
}
