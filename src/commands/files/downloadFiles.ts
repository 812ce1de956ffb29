// Download remote (daytona:) files or folders to a local folder.
import * as vscode from "vscode";
import { SCHEME } from "../../fs/targetRegistry";
import { transfer } from "../../fs/transfer";
import type { Services } from "../../services";
import { reportFailure } from "../errors";

export function downloadFiles(services: Services) {
  return async (uri?: vscode.Uri, uris?: vscode.Uri[], destination?: vscode.Uri) => {
    const sources = (uris?.length ? uris : uri ? [uri] : []).filter((u) => u.scheme === SCHEME);
    if (sources.length === 0) {
      void vscode.window.showInformationMessage("Daytona: right-click a file or folder of a sandbox in the Explorer to download it.");
      return undefined;
    }
    const dest = destination ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: "Download Here" }))?.[0];
    if (!dest) return undefined;
    try {
      const r = await transfer(sources, dest, `Daytona: downloading ${sources.length === 1 ? sources[0].path.split("/").pop() : `${sources.length} items`}`);
      services.log.info(`downloaded ${r.files} files (${r.bytes} bytes) to ${dest.fsPath}${r.cancelled ? " (cancelled)" : ""}`);
      return r;
    } catch (err) {
      await reportFailure(services, "download", err);
      return undefined;
    }
  };
}
