import * as vscode from "vscode";
import type { SnapshotRecord } from "../../core/daytona/records";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSnapshots } from "./targets";

export function deleteSnapshot(services: Services) {
  return async (node?: SnapshotRecord, nodes?: readonly SnapshotRecord[]): Promise<void> => {
    const snaps = await targetSnapshots(services, node, nodes, "delete", (s) => !s.general);
    if (snaps.length === 0) return;
    const ok = await vscode.window.showWarningMessage(
      `Delete ${snaps.length === 1 ? `snapshot "${snaps[0].name}"` : `${snaps.length} snapshots`}? Sandboxes made from it keep running.`,
      { modal: true },
      "Delete",
    );
    if (ok !== "Delete") return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Daytona: deleting snapshots…" }, () =>
      Promise.all(
        snaps.map((s) =>
          services.connection
            .client()
            .deleteSnapshot(s.id)
            .then(() => services.log.info(`deleted snapshot ${s.name}`))
            .catch((err) => reportFailure(services, `delete snapshot ${s.name}`, err)),
        ),
      ),
    );
    services.snapshots.refresh();
  };
}
