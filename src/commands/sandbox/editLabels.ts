// Edit a sandbox's labels as "key=value, key=value" text, validated before anything is sent.
import * as vscode from "vscode";
import type { TreeNode } from "../../core/tree/sandboxTree";
import { formatLabels, parseLabels } from "../../core/daytona/labels";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export function editLabels(services: Services) {
  // `text` ("k=v, k2=v2") sets the labels without asking (tests, other commands).
  return async (node?: TreeNode, _nodes?: unknown, text?: string): Promise<void> => {
    const [record] = await targetSandboxes(services, node, undefined, { verb: "edit the labels of" });
    if (!record) return;
    const input = text ?? await vscode.window.showInputBox({
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
      const client = services.connection.client();
      await client.setLabels(record.id, parsed.labels);
      services.log.info(`labels of ${record.name} set to ${formatLabels(parsed.labels) || "(none)"}`);
      // A label change is not a state change: no event brings it, so the tree takes it from here.
      services.sandboxes.store.upsert(await client.getSandbox(record.id));
    } catch (err) {
      await reportFailure(services, `set the labels of sandbox ${record.name}`, err);
    }
  };
}
