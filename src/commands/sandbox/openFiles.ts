// Browse a sandbox's files: its home folder (or a given folder) as a daytona: workspace folder, or in
// a new window (setting daytona.files.openIn).
import * as vscode from "vscode";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import { showDaytonaFolder } from "../../fs/showFolder";
import { sandboxUri } from "../../fs/targetRegistry";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export function openFiles(services: Services) {
  return async (node?: TreeNode, _nodes?: unknown, folder?: string): Promise<vscode.Uri | undefined> => {
    if (node?.kind === "service") {
      try {
        const authority = `${node.sandboxId}+${node.name}`;
        const dir = folder ?? (await (await services.targets.get(authority)).homeDir());
        return await showFolder(vscode.Uri.parse(`daytona://${authority}${dir.startsWith("/") ? dir : `/${dir}`}`), `${node.name} (Daytona service)`);
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
      return await showFolder(vscode.Uri.parse(sandboxUri(record.id, dir)), `${record.name} (Daytona)`);
    } catch (err) {
      await reportFailure(services, `open the files of sandbox ${record.name}`, err);
      return undefined;
    }
  };
}

async function showFolder(uri: vscode.Uri, name: string): Promise<vscode.Uri> {
  if (await showDaytonaFolder(uri, name)) await vscode.commands.executeCommand("workbench.view.explorer");
  return uri;
}
