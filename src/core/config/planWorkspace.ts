// The entry point: a file or folder -> a CreatePlan, or the diagnostics that say why not.
// Pure apart from reading files through FileAccess; never throws on any input.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { relative } from "node:path";
import { readCompose } from "./compose";
import { START, Reporter } from "./diagnostics";
import { discover } from "./discovery";
import { checkDockerfile } from "./dockerfile";
import { CREATED_BY, LABEL_FOLDER, LABEL_SOURCE, type CreatePlan, type FileAccess, type PlanOptions, type PlanResult } from "./plan";
import { planCompose } from "./planCompose";

export const nodeFiles: FileAccess = {
  readFile: (p) => readFile(p, "utf8"),
  stat: async (p) => {
    try {
      const s = await stat(p);
      return s.isDirectory() ? "directory" : s.isFile() ? "file" : undefined;
    } catch {
      return undefined;
    }
  },
};

/** A stable short id of a folder, for the label that finds this workspace's sandbox again. */
export function folderHash(folder: string): string {
  return createHash("sha256").update(folder).digest("hex").slice(0, 12);
}

export async function planFromPath(target: string, options: PlanOptions = {}): Promise<PlanResult> {
  const report = new Reporter();
  let plan: CreatePlan | undefined;
  try {
    plan = await plan0(target, options, report);
  } catch (e) {
    // A safety net only: every known problem is a diagnostic. The fuzz test asserts this never fires.
    report.error(target, START, "", `internal error while planning: ${e instanceof Error ? e.message : String(e)}`);
  }
  const diagnostics = report.sorted();
  if (report.hasErrors || !plan) return { diagnostics };
  plan.warnings = diagnostics.filter((d) => d.severity === "warning");
  return { plan, diagnostics };
}

async function plan0(target: string, options: PlanOptions, report: Reporter): Promise<CreatePlan | undefined> {
  const files = options.files ?? nodeFiles;
  const found = await discover(target, files, report);
  if (!found) return undefined;
  const labels = (source: string): Record<string, string> => ({
    ...options.labels,
    created_by: CREATED_BY,
    [LABEL_SOURCE]: source,
    [LABEL_FOLDER]: folderHash(found.folder),
  });
  if (found.kind === "default") return { kind: "default", folder: found.folder, sandbox: { envVars: {}, labels: labels(".") }, warnings: [] };
  const source = relative(found.folder, found.file).split("\\").join("/");
  if (found.kind === "dockerfile") {
    if (!(await checkDockerfile(files, found.file, report))) return undefined;
    return {
      kind: "dockerfile",
      folder: found.folder,
      file: found.file,
      sandbox: { image: { kind: "dockerfile", dockerfile: found.file, context: found.folder }, envVars: {}, labels: labels(source) },
      warnings: [],
    };
  }
  const env = options.env ?? {};
  const model = await readCompose(files, found, report, env, options.profiles);
  if (!model) return undefined;
  return planCompose({ files, report, labels: labels(source), snapshotPrefix: options.snapshotPrefix ?? "daytona-vscode" }, model, found.folder);
}
