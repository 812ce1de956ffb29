import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { runOnSandboxes } from "./lifecycle";
import { targetSandboxes } from "./targets";

export function startSandbox(services: Services) {
  return async (node?: TreeNode, nodes?: readonly TreeNode[]): Promise<void> => {
    const records = await targetSandboxes(services, node, nodes, { verb: "start", many: true, applies: (r) => actionTags(r.state).includes("startable") });
    await runOnSandboxes(services, records, { present: "start", progressive: "Starting" }, (client, r) => client.start(r.id));
  };
}
