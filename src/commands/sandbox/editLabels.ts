// Edit a sandbox's labels as "key=value, key=value" text, validated before anything is sent.
import * as vscode from "vscode";
import type { TreeNode } from "../../core/tree/sandboxTree";
import { formatLabels, parseLabels } from "../../core/daytona/labels";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export function editLabels(services: Services) {
  return async (node?: TreeNode): Promise<void> => {
    const [record] = await targetSandboxes(services, node, undefined, { verb: "edit the labels of" });
    if (!record) return;
    const input = await vscode.window.showInputBox({
      title: `Daytona: labels of ${record.name}`,
      prompt: "Comma-separated key=value pairs. Remove a pair to delete that label.",
      value: formatLabels(record.labels),
      validateInput: (text) => {
        const parsed = parseLabels(text);
        return "error" in parsed ? parsed.error : undefined;
      },
    });
    if (input === undefined) return;
    const parsed = parseLabels(input);
    if ("error" in parsed) return;
    try {
      await services.connection.client().setLabels(record.id, parsed.labels);
      services.log.info(`labels of ${record.name} set to ${formatLabels(parsed.labels) || "(none)"}`);
      services.sandboxes.changed();
    } catch (err) {
      await reportFailure(services, `set the labels of sandbox ${record.name}`, err);
    }
  };
}
