// Browse a sandbox's files: its home folder (or a given folder) as a daytona: workspace folder, or in
// a new window (setting daytona.files.openIn).
import * as vscode from "vscode";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import { showDaytonaFolder } from "../../fs/showFolder";
import { sandboxUri } from "../../fs/targetRegistry";
import type { Services } from "../../services";
import { ServiceTarget } from "../../core/targets/serviceTarget";
import { isTreeNode, stringArg } from "../args";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export function openFiles(services: Services) {
  return async (nodeIn?: unknown, _nodes?: unknown, folderIn?: unknown): Promise<vscode.Uri | undefined> => {
    const node: TreeNode | undefined = isTreeNode(nodeIn) ? nodeIn : undefined;
    const folder = stringArg(folderIn);
    if (node?.kind === "service") {
      try {
        const authority = `${node.sandboxId}+${node.name}`;
        const target = await services.targets.get(authority);
        // The service's working directory (compose working_dir, else the image's WORKDIR), where its
        // files are; a service that sets none shows its root folder, and says why.
        const workdir = target instanceof ServiceTarget ? await target.workingDir() : await target.homeDir();
        const dir = folder ?? workdir;
        if (!folder && workdir === "/") {
          void vscode.window.showInformationMessage(`Daytona: service ${node.name} sets no working directory (compose working_dir or the image's WORKDIR), so its files open at /.`);
        }
        return await showFolder(services, vscode.Uri.parse(`daytona://${authority}${dir.startsWith("/") ? dir : `/${dir}`}`), `${node.name} (Daytona service)`);
      } catch (err) {
        await reportFailure(services, `open the files of service ${node.name}`, err);
        return undefined;
      }
    }
    const [record] = await targetSandboxes(services, node, undefined, { verb: "browse the files of", applies: (r) => actionTags(r.state).includes("terminal") });
    if (!record) return undefined;
    try {
      const target = await services.targets.get(record.id);
      const dir = folder ?? (await target.homeDir());
      return await showFolder(services, vscode.Uri.parse(sandboxUri(record.id, dir)), `${record.name} (Daytona)`);
    } catch (err) {
      await reportFailure(services, `open the files of sandbox ${record.name}`, err);
      return undefined;
    }
  };
}

async function showFolder(services: Services, uri: vscode.Uri, name: string): Promise<vscode.Uri | undefined> {
  const stays = await showDaytonaFolder(uri, name, { interactive: services.context.extensionMode !== vscode.ExtensionMode.Test });
  if (stays === undefined) return undefined;
  if (stays) await vscode.commands.executeCommand("workbench.view.explorer");
  return uri;
}
