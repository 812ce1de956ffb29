import * as vscode from "vscode";
import type { SnapshotRecord } from "../../core/daytona/records";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSnapshots } from "./targets";

export function activateSnapshot(services: Services) {
  return async (node?: SnapshotRecord, nodes?: readonly SnapshotRecord[]): Promise<void> => {
    const snaps = await targetSnapshots(services, node, nodes, "activate", (s) => s.state === "inactive");
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Daytona: activating snapshots…" }, () =>
      Promise.all(
        snaps.map((s) =>
          services.connection
            .client()
            .activateSnapshot(s.id)
            .catch((err) => reportFailure(services, `activate snapshot ${s.name}`, err)),
        ),
      ),
    );
    services.snapshots.refresh();
  };
}
