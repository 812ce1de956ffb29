import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { runOnSandboxes } from "./lifecycle";
import { targetSandboxes } from "./targets";

export function stopSandbox(services: Services) {
  return async (node?: TreeNode, nodes?: readonly TreeNode[]): Promise<void> => {
    const records = await targetSandboxes(services, node, nodes, { verb: "stop", many: true, applies: (r) => actionTags(r.state).includes("stoppable") });
    await runOnSandboxes(services, records, { present: "stop", progressive: "Stopping" }, (client, r) => client.stop(r.id));
  };
}
