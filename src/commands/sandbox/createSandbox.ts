// Create a sandbox from Daytona's default snapshot or a chosen one, labelled as made by this extension.
import * as vscode from "vscode";
import type { SnapshotRecord } from "../../core/daytona/records";
import type { VolumeMountSpec } from "../../core/daytona/volumes";
import { resources } from "../../core/tree/presentation";
import { pickVolumeMounts } from "../volume/pickVolumeMounts";
import type { Services } from "../../services";
import { isSnapshotRecord, stringArg } from "../args";
import { reportFailure } from "../errors";

export const CREATED_BY = "daytona-vscode";
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function createSandbox(services: Services) {
  // snapshotArg: a snapshot (from the Snapshots view), its name, or "" for the default snapshot.
  // volumesIn: volumes to mount (asked for when omitted and name is asked for too).
  // Anything else (a tree node from a view's title or context menu, nothing from the palette) asks.
  return async (snapshotIn?: unknown, nameIn?: unknown, volumesIn?: unknown): Promise<string | undefined> => {
    const volumesArg = Array.isArray(volumesIn) && volumesIn.every(isVolumeMountSpec) ? volumesIn : undefined;
    const client = services.connection.client();
    const snapshotArg = isSnapshotRecord(snapshotIn) ? snapshotIn : stringArg(snapshotIn);
    const nameArg = stringArg(nameIn);
    let snapshot: string | undefined = typeof snapshotArg === "string" ? snapshotArg || undefined : snapshotArg?.name;
    if (snapshotArg === undefined) {
      const snapshots = await client.listSnapshots().catch(() => [] as SnapshotRecord[]);
      const pick = await vscode.window.showQuickPick(
        [
          { label: "$(star) Default snapshot", description: "Daytona's default image", value: undefined as string | undefined },
          ...snapshots.filter((s) => s.state === "active").map((s) => ({ label: s.name, description: resources(s), detail: s.imageName, value: s.name })),
        ],
        { title: "Daytona: create a sandbox from" },
      );
      if (!pick) return undefined;
      snapshot = pick.value;
    }
    const name =
      nameArg ??
      (await vscode.window.showInputBox({
        title: "Daytona: name of the new sandbox",
        prompt: "Leave empty to let Daytona choose",
        validateInput: (v) => (v === "" || NAME.test(v) ? undefined : "Letters, digits, . _ - (up to 63, starting with a letter or digit)"),
      }));
    if (name === undefined) return undefined;
    const volumes = volumesArg ?? (nameArg === undefined ? await pickVolumeMounts(services) : []);
    if (volumes === undefined) return undefined;
    const label = name || "new sandbox";
    try {
      const record = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Daytona: creating ${label}${snapshot ? ` from ${snapshot}` : ""}…` },
        () => client.createSandbox({ name: name || undefined, snapshot, labels: { created_by: CREATED_BY }, volumes: volumes.length ? volumes : undefined }),
      );
      services.log.info(`created sandbox ${record.name} (${record.id})`);
      services.sandboxes.store.upsert(record);
      services.sandboxes.changed();
      if (volumes.length) services.volumes.refresh(); // their "last used" changed
      return record.id;
    } catch (err) {
      await reportFailure(services, `create sandbox ${label}`, err);
      return undefined;
    }
  };
}

function isVolumeMountSpec(v: unknown): v is VolumeMountSpec {
  const o = v as Partial<VolumeMountSpec> | null;
  return typeof o === "object" && o !== null && typeof o.volumeId === "string" && typeof o.mountPath === "string";
}
