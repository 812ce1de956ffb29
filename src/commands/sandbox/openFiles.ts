// Browse a sandbox's files: its home folder (or a given folder) as a daytona: workspace folder, or in
// a new window (setting daytona.files.openIn).
import * as vscode from "vscode";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import { sandboxUri } from "../../fs/targetRegistry";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export function openFiles(services: Services) {
  return async (node?: TreeNode, _nodes?: unknown, folder?: string): Promise<vscode.Uri | undefined> => {
    const [record] = await targetSandboxes(services, node, undefined, { verb: "browse the files of", applies: (r) => actionTags(r.state).includes("terminal") });
    if (!record) return undefined;
    try {
      const target = await services.targets.get(record.id);
      const dir = folder ?? (await target.homeDir());
      const uri = vscode.Uri.parse(sandboxUri(record.id, dir));
      const openIn = vscode.workspace.getConfiguration("daytona").get<string>("files.openIn", "workspace");
      if (openIn === "newWindow") {
        await vscode.commands.executeCommand("vscode.openFolder", uri, { forceNewWindow: true });
        return uri;
      }
      const existing = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === uri.toString());
      if (!existing) {
        const at = vscode.workspace.workspaceFolders?.length ?? 0;
        vscode.workspace.updateWorkspaceFolders(at, 0, { uri, name: `${record.name} (Daytona)` });
      }
      await vscode.commands.executeCommand("workbench.view.explorer");
      return uri;
    } catch (err) {
      await reportFailure(services, `open the files of sandbox ${record.name}`, err);
      return undefined;
    }
  };
}
