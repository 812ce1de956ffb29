import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { runOnSandboxes } from "./lifecycle";
import { targetSandboxes } from "./targets";

export function archiveSandbox(services: Services) {
  return async (node?: TreeNode, nodes?: readonly TreeNode[]): Promise<void> => {
    const records = await targetSandboxes(services, node, nodes, { verb: "archive", many: true, applies: (r) => actionTags(r.state).includes("archivable") });
    await runOnSandboxes(services, records, { present: "archive", progressive: "Archiving" }, (client, r) => client.archive(r.id));
  };
}
