// The Snapshots view: a list fetched when shown and after changes; polled while visible only when
// a snapshot is still being built (snapshots have no pushed events).
import type * as vscode from "vscode";
import type { SnapshotRecord } from "../../core/daytona/records";
import type { ConnectionManager } from "../../connection/connectionManager";
import { ListView } from "../listView";
import { snapshotIsBusy, SnapshotsProvider } from "./snapshotsProvider";

export class SnapshotsView extends ListView<SnapshotRecord> {
  declare readonly provider: SnapshotsProvider;

  constructor(connection: ConnectionManager, log: vscode.LogOutputChannel) {
    super(new SnapshotsProvider(), { viewId: "daytona.snapshots", noun: "snapshot", list: (c) => c.listSnapshots(), isBusy: snapshotIsBusy, busyPollMs: 3000 }, connection, log);
  }
}
