// "Open in Remote Window (SSH)": an SSH host for the sandbox (access, entry, Include), then the
// sandbox's folder in a new window through Remote - SSH or Open Remote - SSH. Language servers,
// debuggers, tasks and ports then run in the sandbox. With no SSH remote extension, offer one.
import * as path from "node:path";
import * as vscode from "vscode";
import { folderHash } from "../../core/config/planWorkspace";
import { LABEL_FOLDER } from "../../core/config/plan";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { SandboxRecord } from "../../core/daytona/records";
import type { Services } from "../../services";
import { declareLinux, installedRemoteSsh, recommendedRemoteSsh, remoteFolderUri, REMOTE_SSH } from "../../ssh/remoteSsh";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export interface OpenRemoteSshOptions {
  /** The folder inside the sandbox (Open in Daytona Sandbox passes the one it synced to). */
  folder?: string;
  /** The sandbox, when the caller has it (instead of a tree node or a pick). */
  record?: SandboxRecord;
}

export function openRemoteSsh(services: Services) {
  return async (node?: TreeNode, _nodes?: unknown, options: OpenRemoteSshOptions = {}): Promise<vscode.Uri | undefined> => {
    const [record] = options.record ? [options.record] : await targetSandboxes(services, node, undefined, { verb: "open in a remote window", applies: (r) => actionTags(r.state).some((t) => t === "terminal" || t === "startable") });
    if (!record) return undefined;
    try {
      const host = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Daytona: SSH access to ${record.name}` }, async (progress) => {
        // A stopped sandbox is started first (the gateway only lets into started ones).
        if (record.state !== "started") {
          progress.report({ message: "starting the sandbox" });
          await services.connection.client().start(record.id);
        }
        return services.ssh.ensureHost(record);
      });
      if (!(await services.ssh.ensureInclude())) {
        void vscode.window.showWarningMessage(`Daytona: without the Include, the remote-SSH extension cannot find ${host.alias}. Copy SSH Command still gives a command for a terminal.`);
        return undefined;
      }
      const extension = installedRemoteSsh();
      if (!extension) {
        void offerRemoteSsh(host.alias); // not awaited: the notification waits for the person, not the command
        return undefined;
      }
      const folder = options.folder ?? (await syncedFolder(services, record));
      if (extension === REMOTE_SSH) await declareLinux(host.alias).catch((err: unknown) => services.log.warn(`could not set remote.SSH.remotePlatform: ${String(err)}`));
      const uri = remoteFolderUri(host.alias, folder);
      services.log.info(`opening ${uri.toString()} with ${extension}`);
      await vscode.commands.executeCommand("vscode.openFolder", uri, { forceNewWindow: true });
      return uri;
    } catch (err) {
      await reportFailure(services, `open sandbox ${record.name} in a remote window`, err);
      return undefined;
    }
  };
}

async function offerRemoteSsh(alias: string): Promise<void> {
  const rec = recommendedRemoteSsh();
  const install = `Install ${rec.name}`;
  const copy = "Copy SSH Command";
  const choice = await vscode.window.showInformationMessage(
    `Daytona: a remote window needs the "${rec.name}" extension (${rec.id}). Install it and run this command again, or connect from a terminal with: ssh ${alias}`,
    install,
    copy,
  );
  if (choice === install) await vscode.commands.executeCommand("workbench.extensions.installExtension", rec.id);
  if (choice === copy) await vscode.env.clipboard.writeText(`ssh ${alias}`);
}

/** The folder Open in Daytona Sandbox syncs this workspace to, when the sandbox is this workspace's; else home. */
async function syncedFolder(services: Services, record: SandboxRecord): Promise<string> {
  const sdk = await services.connection.client().toolbox(record.id);
  const home = (await sdk.getUserHomeDir()) ?? "/home/daytona";
  const hash = record.labels[LABEL_FOLDER];
  const local = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.scheme === "file" && hash && folderHash(f.uri.fsPath) === hash);
  return local ? path.posix.join(home, path.basename(local.uri.fsPath)) : home;
}
