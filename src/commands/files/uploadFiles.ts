// Upload local files or folders into a sandbox folder (the right-clicked daytona: folder).
import * as vscode from "vscode";
import { SCHEME } from "../../fs/targetRegistry";
import { transfer } from "../../fs/transfer";
import type { Services } from "../../services";
import { reportFailure } from "../errors";

export function uploadFiles(services: Services) {
  return async (folder?: vscode.Uri, _uris?: vscode.Uri[], sources?: vscode.Uri[]) => {
    if (!folder || folder.scheme !== SCHEME) {
      void vscode.window.showInformationMessage("Daytona: right-click a folder of a sandbox in the Explorer to upload into it.");
      return undefined;
    }
    const picked = sources ?? (await vscode.window.showOpenDialog({ canSelectMany: true, canSelectFiles: true, canSelectFolders: true, openLabel: "Upload" }));
    if (!picked?.length) return undefined;
    try {
      const r = await transfer(picked, folder, `Daytona: uploading ${picked.length === 1 ? picked[0].path.split("/").pop() : `${picked.length} items`}`);
      services.log.info(`uploaded ${r.files} files (${r.bytes} bytes) to ${folder.toString(true)}${r.cancelled ? " (cancelled)" : ""}`);
      return r;
    } catch (err) {
      await reportFailure(services, "upload", err);
      return undefined;
    }
  };
}
