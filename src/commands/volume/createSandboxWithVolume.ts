// A volume's "Create Sandbox with Volume": Create Sandbox with this volume mounted where the person says.
import * as vscode from "vscode";
import type { VolumeRecord } from "../../core/daytona/volumes";
import type { Services } from "../../services";
import { askMountPath } from "./pickVolumeMounts";

export function createSandboxWithVolume(services: Services) {
  // mountPathArg / nameArg: non-interactive use (tests).
  return async (node?: VolumeRecord, _nodes?: unknown, mountPathArg?: string, nameArg?: string): Promise<string | undefined> => {
    let volume = node;
    if (!volume) {
      const pick = await vscode.window.showQuickPick(
        services.volumes.provider.all().filter((v) => v.state === "ready").map((v) => ({ label: v.name, record: v })),
        { title: "Daytona: create a sandbox with volume" },
      );
      volume = pick?.record;
    }
    if (!volume) return undefined;
    const mountPath = mountPathArg ?? (await askMountPath(volume, []));
    if (!mountPath) return undefined;
    return vscode.commands.executeCommand<string | undefined>("daytona.sandbox.create", nameArg === undefined ? undefined : "", nameArg, [{ volumeId: volume.id, mountPath }]);
  };
}
