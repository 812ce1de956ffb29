// Show a sandbox's build log in an output channel, following it while the build runs. Cancelling the
// progress stops following.
import * as vscode from "vscode";
import { TRANSITIONAL_STATES } from "../../core/daytona/records";
import type { TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

let channel: vscode.OutputChannel | undefined;

export function showBuildLogs(services: Services) {
  return async (node?: TreeNode): Promise<void> => {
    const [record] = await targetSandboxes(services, node, undefined, { verb: "show the build log of" });
    if (!record) return;
    if (!channel) {
      channel = vscode.window.createOutputChannel("Daytona Build Logs");
      services.context.subscriptions.push(channel);
    }
    const out = channel;
    out.clear();
    out.appendLine(`# build log of ${record.name} (${record.id})`);
    out.show(true);
    const follow = TRANSITIONAL_STATES.has(record.state);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Daytona: build log of ${record.name}`, cancellable: true },
      async (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        try {
          await services.connection.client().buildLogs(record.id, (text) => out.append(text), { follow, signal: abort.signal });
          out.appendLine("\n# end of build log");
        } catch (err) {
          await reportFailure(services, `read the build log of sandbox ${record.name}`, err);
        }
      },
    );
  };
}
