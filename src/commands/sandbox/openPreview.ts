// Open the preview URL of a port of a running sandbox in the browser. A public sandbox's URL opens as
// it is; a private sandbox's plain URL needs a token header no browser sends, so it gets a signed URL
// instead, valid for a time the person picks (Daytona allows up to 24 hours).
import * as vscode from "vscode";
import { actionTags, type TreeNode } from "../../core/tree/sandboxTree";
import type { Services } from "../../services";
import { reportFailure } from "../errors";
import { targetSandboxes } from "./targets";

const EXPIRIES = [
  { label: "1 hour", seconds: 3600 },
  { label: "15 minutes", seconds: 900 },
  { label: "8 hours", seconds: 8 * 3600 },
  { label: "24 hours", seconds: 24 * 3600 },
];

export function openPreview(services: Services) {
  // portArg / expiresInSecondsArg: non-interactive use (tests); returns the URL opened.
  return async (node?: TreeNode, _nodes?: unknown, portArg?: number, expiresInSecondsArg?: number): Promise<string | undefined> => {
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
    let seconds: number | undefined;
    if (!record.public) {
      seconds =
        expiresInSecondsArg ??
        (
          await vscode.window.showQuickPick(
            EXPIRIES.map((e) => ({ label: `Signed link valid for ${e.label}`, seconds: e.seconds })),
            { title: `Daytona: ${record.name} is private: anyone with the link can open port ${port} until it expires` },
          )
        )?.seconds;
      if (!seconds) return undefined;
    }
    try {
      const client = services.connection.client();
      let url: string;
      if (seconds) {
        const signed = await client.signedPreviewUrl(record.id, port, seconds);
        url = signed.url;
        services.log.info(`signed preview of ${record.name}:${port} valid until ${signed.expiresAt.toISOString()}`);
        void vscode.window.showInformationMessage(`Preview link for port ${port} of ${record.name} is valid until ${signed.expiresAt.toLocaleTimeString()}.`, "Copy Link").then((choice) => {
          if (choice) void vscode.env.clipboard.writeText(url);
        });
      } else {
        url = (await client.previewUrl(record.id, port)).url;
        services.log.info(`preview of ${record.name}:${port} is ${url}`);
      }
      await vscode.env.openExternal(vscode.Uri.parse(url));
      return url;
    } catch (err) {
      await reportFailure(services, `open port ${port} of sandbox ${record.name}`, err);
      return undefined;
    }
  };
}
