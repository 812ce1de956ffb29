// "Copy SSH Command": `ssh <alias>` when ~/.ssh/config Includes the extension's hosts, else
// Daytona's own command (token as the user), which works anywhere ssh does.
import * as vscode from "vscode";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export function copySshCommand(services: Services) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    const [record] = await targetSandboxes(services, node, undefined, { verb: "copy the SSH command of", applies: (r) => actionTags(r.state).includes("terminal") });
    if (!record) return undefined;
    try {
      const host = await services.ssh.ensureHost(record);
      const command = (await services.ssh.includePresent()) ? `ssh ${host.alias}` : host.directCommand;
      await vscode.env.clipboard.writeText(command);
      vscode.window.setStatusBarMessage(`Daytona: copied the SSH command of ${record.name} (access until ${new Date(host.expiresAt).toLocaleString()})`, 5000);
      return command;
    } catch (err) {
      await reportFailure(services, `copy the SSH command of ${record.name}`, err);
      return undefined;
    }
  };
}
