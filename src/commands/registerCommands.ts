import * as vscode from "vscode";
import type { Services } from "../services";
import { reconnect } from "./connection/reconnect";
import { signIn } from "./connection/signIn";
import { signOut } from "./connection/signOut";
import { switchProfile } from "./connection/switchProfile";
import { useLocal } from "./connection/useLocal";
import type { CommandId } from "./ids";
import { archiveSandbox } from "./sandbox/archiveSandbox";
import { cleanUpGroup } from "./sandbox/cleanUpGroup";
import { copyId } from "./sandbox/copyId";
import { createSandbox } from "./sandbox/createSandbox";
import { deleteSandbox } from "./sandbox/deleteSandbox";
import { editLabels } from "./sandbox/editLabels";
import { openPreview } from "./sandbox/openPreview";
import { showBuildLogs } from "./sandbox/showBuildLogs";
import { openTerminal } from "./sandbox/openTerminal";
import { testChangesOnSnapshot } from "./testing/testChangesOnSnapshot";
import { snapshotSandbox } from "./sandbox/snapshotSandbox";
import { forkSandbox } from "./sandbox/forkSandbox";
import { openFiles } from "./sandbox/openFiles";
import { openRemoteSsh } from "./sandbox/openRemoteSsh";
import { copySshCommand } from "./sandbox/copySshCommand";
import { downloadFiles } from "./files/downloadFiles";
import { uploadFiles } from "./files/uploadFiles";
import { openInSandbox } from "./open/openInSandbox";
import { previewPlan } from "./open/previewPlan";
import { startSandbox } from "./sandbox/startSandbox";
import { stopSandbox } from "./sandbox/stopSandbox";
import { activateSnapshot } from "./snapshot/activateSnapshot";
import { createSandboxFromSnapshot } from "./snapshot/createSandboxFromSnapshot";
import { deleteSnapshot } from "./snapshot/deleteSnapshot";
import { clearFilter } from "./view/clearFilter";
import { createVolume } from "./volume/createVolume";
import { deleteVolume } from "./volume/deleteVolume";
import { createSandboxWithVolume } from "./volume/createSandboxWithVolume";
import { filterSandboxes } from "./view/filterSandboxes";
import { refresh } from "./view/refresh";
import { showLog } from "./view/showLog";
import { sortSandboxes } from "./view/sortSandboxes";
import { rerunFailed } from "./testing/rerunFailed";
import { runCurrentFile } from "./testing/runCurrentFile";
import { runTests } from "./testing/runTests";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (...args: any[]) => unknown;

/** One row per command; typed by CommandId so a missing or unknown id fails the type check. */
const table: Record<CommandId, (services: Services) => Handler> = {
  "daytona.tests.changesOnSnapshot": testChangesOnSnapshot,
  "daytona.signIn": signIn,
  "daytona.useLocal": useLocal,
  "daytona.switchProfile": switchProfile,
  "daytona.signOut": signOut,
  "daytona.reconnect": reconnect,
  "daytona.refresh": refresh,
  "daytona.showLog": showLog,
  "daytona.sandboxes.filter": filterSandboxes,
  "daytona.sandboxes.clearFilter": clearFilter,
  "daytona.sandboxes.sortBy": sortSandboxes,
  "daytona.sandboxes.cleanUpGroup": cleanUpGroup,
  "daytona.sandbox.create": createSandbox,
  "daytona.sandbox.start": startSandbox,
  "daytona.sandbox.stop": stopSandbox,
  "daytona.sandbox.archive": archiveSandbox,
  "daytona.sandbox.delete": deleteSandbox,
  "daytona.sandbox.editLabels": editLabels,
  "daytona.sandbox.copyId": copyId,
  "daytona.sandbox.openPreview": openPreview,
  "daytona.sandbox.showBuildLogs": showBuildLogs,
  "daytona.sandbox.snapshot": snapshotSandbox,
  "daytona.sandbox.fork": forkSandbox,
  "daytona.sandbox.openTerminal": openTerminal,
  "daytona.sandbox.openFiles": openFiles,
  "daytona.sandbox.openRemoteSsh": openRemoteSsh,
  "daytona.sandbox.copySshCommand": copySshCommand,
  "daytona.files.download": downloadFiles,
  "daytona.files.upload": uploadFiles,
  "daytona.openInSandbox": openInSandbox,
  "daytona.previewPlan": previewPlan,
  "daytona.snapshot.createSandbox": createSandboxFromSnapshot,
  "daytona.snapshot.activate": activateSnapshot,
  "daytona.snapshot.delete": deleteSnapshot,
  "daytona.volume.create": createVolume,
  "daytona.volume.delete": deleteVolume,
  "daytona.volume.createSandbox": createSandboxWithVolume,
  "daytona.tests.run": runTests,
  "daytona.tests.runCurrentFile": runCurrentFile,
  "daytona.tests.rerunFailed": rerunFailed,
};

export function registerCommands(services: Services): void {
  for (const [id, make] of Object.entries(table) as [CommandId, (s: Services) => Handler][]) {
    const handler = make(services);
    services.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          // Commands report their own operation failures; this catches the rest (e.g. not connected).
          const reason = err instanceof Error ? err.message : String(err);
          services.log.error(`${id} failed: ${reason}`);
          void vscode.window.showErrorMessage(`Daytona: ${reason}`, "Show Output").then((choice) => {
            if (choice) services.log.show(true);
          });
          return undefined;
        }
      }),
    );
  }
}
