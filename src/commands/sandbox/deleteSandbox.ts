import * as vscode from "vscode";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { runOnSandboxes } from "./lifecycle";
import { targetSandboxes } from "./targets";

export function deleteSandbox(services: Services) {
  // `options` is for callers other than menus (tests, other commands) that confirmed already.
  return async (node?: TreeNode, nodes?: readonly TreeNode[], options?: { confirmed?: boolean }): Promise<void> => {
    const records = await targetSandboxes(services, node, nodes, { verb: "delete", many: true, applies: (r) => actionTags(r.state).includes("deletable") });
    if (records.length === 0) return;
    const what = records.length === 1 ? `sandbox "${records[0].name}"` : `${records.length} sandboxes (${records.map((r) => r.name).slice(0, 5).join(", ")}${records.length > 5 ? ", …" : ""})`;
    if (!options?.confirmed) {
      const ok = await vscode.window.showWarningMessage(`Delete ${what}? Its files are gone for good.`, { modal: true }, "Delete");
      if (ok !== "Delete") return;
    }
    const st = services.connection.state;
    const profileId = st.kind === "disconnected" ? undefined : st.profile.id;
    await runOnSandboxes(services, records, { present: "delete", progressive: "Deleting" }, async (client, r) => {
      // Its SSH access is revoked and its host entry removed first (best effort: the delete decides).
      if (profileId) await services.ssh.forgetSandbox(profileId, r.id, client).catch((err: unknown) => services.log.warn(`SSH host of ${r.name}: ${String(err)}`));
      await client.delete(r.id);
    });
  };
}
