// Delete volumes (ready or failed ones; Daytona refuses volumes that sandboxes still mount).
import * as vscode from "vscode";
import type { VolumeRecord } from "../../core/daytona/volumes";
import type { Services } from "../../services";
import { reportFailure } from "../errors";

const deletable = (v: VolumeRecord): boolean => v.state === "ready" || v.state === "error";

export function deleteVolume(services: Services) {
  // confirmArg: true skips the confirmation (tests).
  return async (node?: VolumeRecord, nodes?: readonly VolumeRecord[], confirmArg?: boolean): Promise<number> => {
    let volumes: VolumeRecord[];
    if (node) volumes = (nodes?.some((n) => n.id === node.id) ? [...nodes] : [node]).filter(deletable);
    else {
      const picked = await vscode.window.showQuickPick(
        services.volumes.provider.all().filter(deletable).map((v) => ({ label: v.name, description: v.state, record: v })),
        { canPickMany: true, title: "Daytona: volumes to delete" },
      );
      volumes = (picked ?? []).map((p) => p.record);
    }
    if (volumes.length === 0) return 0;
    if (confirmArg !== true) {
      const ok = await vscode.window.showWarningMessage(
        `Delete ${volumes.length === 1 ? `volume "${volumes[0].name}"` : `${volumes.length} volumes`} and every file in ${volumes.length === 1 ? "it" : "them"}?`,
        { modal: true },
        "Delete",
      );
      if (ok !== "Delete") return 0;
    }
    let deleted = 0;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Daytona: deleting volumes…" }, () =>
      Promise.all(
        volumes.map((v) =>
          services.connection
            .client()
            .deleteVolume(v.name)
            .then(() => {
              deleted++;
              services.log.info(`deleting volume ${v.name}`);
            })
            .catch((err) => reportFailure(services, `delete volume ${v.name}`, err)),
        ),
      ),
    );
    services.volumes.refresh();
    return deleted;
  };
}
