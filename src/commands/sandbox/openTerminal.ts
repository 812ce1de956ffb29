import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { openRemoteTerminal } from "../../terminal/openRemoteTerminal";
import { terminalOptions } from "../../terminal/terminalOptions";
import { isTreeNode, stringArg } from "../args";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export function openTerminal(services: Services) {
  // `cwd` lets other commands (Open in Sandbox) start the shell in the synced folder.
  return async (nodeIn?: unknown, _nodes?: unknown, cwdIn?: unknown) => {
    const node: TreeNode | undefined = isTreeNode(nodeIn) ? nodeIn : undefined;
    const cwd = stringArg(cwdIn);
    if (node?.kind === "service") {
      try {
        // `docker exec -it` into the service, with bash when the image has it and sh otherwise.
        return openRemoteTerminal(await services.targets.get(`${node.sandboxId}+${node.name}`), terminalOptions(services, node.sandboxId, { cwd, log: services.log }));
      } catch (err) {
        await reportFailure(services, `open a terminal in service ${node.name}`, err);
        return undefined;
      }
    }
    const [record] = await targetSandboxes(services, node, undefined, { verb: "open a terminal in", applies: (r) => actionTags(r.state).includes("terminal") });
    if (!record) return undefined;
    try {
      const target = await services.targets.get(record.id);
      return openRemoteTerminal(target, terminalOptions(services, record.id, { cwd, log: services.log }));
    } catch (err) {
      await reportFailure(services, `open a terminal in sandbox ${record.name}`, err);
      return undefined;
    }
  };
}
