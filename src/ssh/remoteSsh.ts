// Which SSH remote extension opens the remote window: Microsoft's Remote - SSH in VS Code, Open
// Remote - SSH (jeanp413) in VSCodium, code-server and other builds without Microsoft's marketplace.
// Both resolve "vscode-remote://ssh-remote+<host>/<path>".
import * as vscode from "vscode";

export const REMOTE_SSH = "ms-vscode-remote.remote-ssh";
export const OPEN_REMOTE_SSH = "jeanp413.open-remote-ssh";

export function installedRemoteSsh(): string | undefined {
  return [REMOTE_SSH, OPEN_REMOTE_SSH].find((id) => vscode.extensions.getExtension(id) !== undefined);
}

/** The one to offer when none is installed: Microsoft's only runs in Microsoft's VS Code builds. */
export function recommendedRemoteSsh(): { id: string; name: string } {
  const microsoft = vscode.env.appName === "Visual Studio Code" || vscode.env.appName === "Visual Studio Code - Insiders";
  return microsoft ? { id: REMOTE_SSH, name: "Remote - SSH" } : { id: OPEN_REMOTE_SSH, name: "Open Remote - SSH" };
}

export function remoteFolderUri(alias: string, folder: string): vscode.Uri {
  return vscode.Uri.from({ scheme: "vscode-remote", authority: `ssh-remote+${alias}`, path: folder });
}

/** Remote - SSH asks for the platform of a new host; sandboxes are Linux, so it need not. */
export async function declareLinux(alias: string): Promise<void> {
  const config = vscode.workspace.getConfiguration("remote.SSH");
  const platforms = { ...(config.get<Record<string, string>>("remotePlatform") ?? {}) };
  if (platforms[alias] === "linux") return;
  platforms[alias] = "linux";
  await config.update("remotePlatform", platforms, vscode.ConfigurationTarget.Global);
}
