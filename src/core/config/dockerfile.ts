// Dockerfile basics the plan needs before anything is built: the file exists, is readable, and its
// first instruction (after parser directives, comments and ARG) is FROM. The build itself is the
// builder's business; this only catches what would fail at once, with the line to fix.
import type { Pos, Reporter } from "./diagnostics";
import type { FileAccess } from "./plan";

const MAX_BYTES = 1024 * 1024;

/**
 * Checks the Dockerfile at `path`. `ref` says where it was named (a compose `build` key) so a missing
 * file is reported there; without it the Dockerfile itself is the place.
 */
export async function checkDockerfile(
  files: FileAccess,
  path: string,
  report: Reporter,
  ref?: { file: string; pos: Pos; field: string },
): Promise<boolean> {
  const where = ref ?? { file: path, pos: { line: 1, column: 1 }, field: "" };
  const kind = await files.stat(path).catch(() => undefined);
  if (kind !== "file") {
    report.error(where.file, where.pos, where.field, kind === "directory" ? `${path} is a directory, not a Dockerfile` : `Dockerfile not found: ${path}`);
    return false;
  }
  let text: string;
  try {
    text = await files.readFile(path);
  } catch (e) {
    report.error(where.file, where.pos, where.field, `cannot read ${path}: ${(e as Error).message}`);
    return false;
  }
  if (text.length > MAX_BYTES) {
    report.error(path, { line: 1, column: 1 }, "", "the Dockerfile is larger than 1 MiB");
    return false;
  }
  return checkDockerfileText(text, path, report);
}

export function checkDockerfileText(text: string, path: string, report: Reporter): boolean {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    const body = lines[i].trim();
    const wasContinued = continued;
    continued = body.endsWith("\\") && !body.startsWith("#");
    if (wasContinued || body === "" || body.startsWith("#")) continue;
    const word = /^[A-Za-z]+/.exec(body)?.[0].toUpperCase();
    if (word === "FROM") {
      if (!/^FROM\s+\S/i.test(body)) {
        report.error(path, { line: i + 1, column: lines[i].indexOf(body) + 1 }, "FROM", "FROM needs an image name");
        return false;
      }
      return true;
    }
    if (word === "ARG") continue;
    report.error(path, { line: i + 1, column: lines[i].indexOf(body) + 1 }, word ?? "", `the first instruction must be FROM, not ${word ?? `"${body.slice(0, 20)}"`}`);
    return false;
  }
  report.error(path, { line: 1, column: 1 }, "FROM", "no FROM instruction: the Dockerfile is empty");
  return false;
}
