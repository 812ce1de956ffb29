// What to plan from: a folder is searched in a fixed order; a file is used as it is.
import { basename, dirname, join, resolve } from "node:path";
import { START, type Reporter } from "./diagnostics";
import type { FileAccess } from "./plan";

export const DISCOVERY_ORDER = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml", "Dockerfile"];

export type Found =
  | { kind: "compose"; folder: string; file: string; /** Chosen by name, as with `-f`: no override file. */ explicit: boolean }
  | { kind: "dockerfile"; folder: string; file: string }
  | { kind: "default"; folder: string };

export function classifyFile(path: string): "compose" | "dockerfile" | undefined {
  const name = basename(path);
  if (/\.ya?ml$/i.test(name)) return "compose";
  // Dockerfile, *.Dockerfile, and the common Dockerfile.<variant> (Dockerfile.dev).
  if (name === "Dockerfile" || /\.Dockerfile$/i.test(name) || /^Dockerfile\./.test(name)) return "dockerfile";
  return undefined;
}

export async function discover(target: string, files: FileAccess, report: Reporter): Promise<Found | undefined> {
  const abs = resolve(target);
  const kind = await files.stat(abs).catch(() => undefined);
  if (kind === undefined) {
    report.error(abs, START, "", "no such file or folder");
    return undefined;
  }
  if (kind === "file") {
    const k = classifyFile(abs);
    if (!k) {
      report.error(abs, START, "", "not a compose file (*.yaml, *.yml) or a Dockerfile (Dockerfile, *.Dockerfile)");
      return undefined;
    }
    return k === "compose" ? { kind: k, folder: dirname(abs), file: abs, explicit: true } : { kind: k, folder: dirname(abs), file: abs };
  }
  const found: string[] = [];
  for (const name of DISCOVERY_ORDER) {
    const file = join(abs, name);
    if ((await files.stat(file).catch(() => undefined)) === "file") found.push(file);
  }
  const composeFiles = found.filter((f) => basename(f) !== "Dockerfile");
  if (composeFiles.length > 1) {
    // Compose's own words, so the message is recognised from the terminal.
    report.warning(composeFiles[0], START, "", `Found multiple config files with supported names: ${composeFiles.join(", ")}. Using ${composeFiles[0]}`);
  }
  if (composeFiles.length) return { kind: "compose", folder: abs, file: composeFiles[0], explicit: false };
  if (found.length) return { kind: "dockerfile", folder: abs, file: found[0] };
  return { kind: "default", folder: abs };
}
