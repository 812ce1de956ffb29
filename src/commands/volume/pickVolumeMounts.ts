// Asking which volumes a new sandbox mounts, and where. Shared by Create Sandbox and a volume's
// "Create Sandbox with Volume".
import * as vscode from "vscode";
import { defaultMountPath, mountPathProblem, type VolumeMountSpec, type VolumeRecord } from "../../core/daytona/volumes";
import type { Services } from "../../services";

/** The mount path for one volume; undefined when the person cancelled. */
export async function askMountPath(volume: VolumeRecord, taken: string[]): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `Daytona: mount volume ${volume.name} at`,
    value: defaultMountPath(volume.name),
    validateInput: (v) => mountPathProblem(v) ?? (taken.includes(v) ? "Another volume is mounted there" : undefined),
  });
}

/**
 * Offers the ready volumes (none picked by default); [] when there are none or none were picked,
 * undefined when the person cancelled.
 */
export async function pickVolumeMounts(services: Services): Promise<VolumeMountSpec[] | undefined> {
  const ready = (await services.connection.client().listVolumes().catch(() => [] as VolumeRecord[])).filter((v) => v.state === "ready");
  if (ready.length === 0) return [];
  const picked = await vscode.window.showQuickPick(
    ready.map((v) => ({ label: v.name, description: defaultMountPath(v.name), record: v })),
    { canPickMany: true, title: "Daytona: volumes to mount (optional: none is fine)" },
  );
  if (!picked) return undefined;
  const out: VolumeMountSpec[] = [];
  for (const p of picked) {
    const mountPath = await askMountPath(p.record, out.map((m) => m.mountPath));
    if (mountPath === undefined) return undefined;
    out.push({ volumeId: p.record.id, mountPath });
  }
  return out;
}
