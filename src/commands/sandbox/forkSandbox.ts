// Fork a running sandbox into N named copies, shown under their parent.
import * as vscode from "vscode";
import { forkNames, forkSandbox as fork } from "../../core/daytona/snapshotFork";
import type { SandboxRecord } from "../../core/daytona/records";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export function forkSandbox(services: Services) {
  // `countArg` skips the question (tests, the fan-out runner).
  return async (node?: TreeNode, nodes?: readonly TreeNode[], countIn?: unknown): Promise<SandboxRecord[]> => {
    const countArg = typeof countIn === "number" ? countIn : undefined;
    const parents = await targetSandboxes(services, node, nodes, { verb: "fork", many: true, applies: (r) => actionTags(r.state).includes("forkable") });
    if (parents.length === 0) return [];
    const count =
      countArg ??
      Number(
        await vscode.window.showInputBox({
          title: `Daytona: fork ${parents.length === 1 ? parents[0].name : `${parents.length} sandboxes`}`,
          prompt: "How many copies of each?",
          value: "1",
          validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 20 ? undefined : "A number from 1 to 20"),
        }),
      );
    if (!count) return [];
    const taken = new Set(services.sandboxes.store.all().map((r) => r.name));
    const jobs = parents.flatMap((p) => forkNames(p.name, count, taken).map((name) => ({ parent: p, name })));
    const client = services.connection.client();
    const made: SandboxRecord[] = [];
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Daytona: forking into ${jobs.length} sandbox${jobs.length === 1 ? "" : "es"}…` }, () =>
      Promise.all(
        jobs.map(async ({ parent, name }) => {
          try {
            const rec = await fork(client, parent, name);
            made.push(rec);
            services.sandboxes.store.upsert(rec);
            services.log.info(`forked ${parent.name} into ${rec.name} (${rec.id})`);
          } catch (err) {
            await reportFailure(services, `fork sandbox ${parent.name} into ${name}`, err);
          }
        }),
      ),
    );
    services.sandboxes.changed();
    // Shown under their parent, expanded: a parent that had no children was drawn without a twistie,
    // and the tree would keep it collapsed.
    for (const r of made) await services.sandboxes.reveal(r.id);
    return made;
  };
}
