// Open the preview URL of a port of a running sandbox in the browser.
import * as vscode from "vscode";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

export function openPreview(services: Services) {
  return async (node?: TreeNode, _nodes?: unknown, portArg?: number): Promise<string | undefined> => {
    const [record] = await targetSandboxes(services, node, undefined, { verb: "preview", applies: (r) => actionTags(r.state).includes("previewable") });
    if (!record) return undefined;
    const port =
      portArg ??
      Number(
        await vscode.window.showInputBox({
          title: `Daytona: preview a port of ${record.name}`,
          prompt: "The port a server listens on inside the sandbox",
          value: "3000",
          validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : "A port number from 1 to 65535"),
        }),
      );
    if (!port) return undefined;
    try {
      const { url } = await services.connection.client().previewUrl(record.id, port);
      services.log.info(`preview of ${record.name}:${port} is ${url}`);
      await vscode.env.openExternal(vscode.Uri.parse(url));
      return url;
    } catch (err) {
      await reportFailure(services, `open port ${port} of sandbox ${record.name}`, err);
      return undefined;
    }
  };
}
