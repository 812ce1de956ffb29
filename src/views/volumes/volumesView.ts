// The Volumes view: listed when shown and after changes; re-checked while visible only while a
// volume is being created or deleted (nothing is pushed for volumes). Hidden: no requests.
import type * as vscode from "vscode";
import type { VolumeRecord } from "../../core/daytona/volumes";
import type { ConnectionManager } from "../../connection/connectionManager";
import { ListView } from "../listView";
import { volumeIsBusy, VolumesProvider } from "./volumesProvider";

export class VolumesView extends ListView<VolumeRecord> {
  declare readonly provider: VolumesProvider;

  constructor(connection: ConnectionManager, log: vscode.LogOutputChannel) {
    super(
      new VolumesProvider(),
      {
        viewId: "daytona.volumes",
        noun: "volume",
        list: (c) => c.listVolumes(),
        isBusy: volumeIsBusy,
        busyPollMs: 1000,
        emptyMessage: "No volumes. Volumes keep files across sandboxes; create one with +.",
      },
      connection,
      log,
    );
  }
}
