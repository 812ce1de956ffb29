// Shows a daytona: folder where `daytona.files.openIn` says: this window (its folder replaced), a new
// window, or this window's workspace. When the choice matters (a single-folder or empty window, where
// adding a folder makes an "Untitled (Workspace)" and restarts the extension host) and nothing was
// remembered, it asks once, as Dev Containers does, with a pin button on each choice to remember it.
// Replacing the folder, a new window and a new workspace can all end this extension host;
// `beforeLeaving` runs first so the caller can hand work on.
import * as vscode from "vscode";

export type OpenIn = "ask" | "currentWindow" | "newWindow" | "workspace";
type Choice = Exclude<OpenIn, "ask">;

const CHOICES: Array<{ choice: Choice; label: string; detail: string }> = [
  { choice: "currentWindow", label: "$(window) Current Window", detail: "Replace this window's folder with the sandbox's (the window reloads)" },
  { choice: "newWindow", label: "$(empty-window) New Window", detail: "Open the sandbox's folder in a new window; this one stays as it is" },
  { choice: "workspace", label: "$(root-folder) Add to Workspace", detail: "Add it beside this window's folder (a single-folder window becomes an untitled workspace and reloads)" },
];

/** Asks where to open; a pinned choice is written to daytona.files.openIn. Undefined: cancelled. */
export async function askWhere(name: string): Promise<Choice | undefined> {
  const pick = vscode.window.createQuickPick<(typeof CHOICES)[number] & vscode.QuickPickItem>();
  pick.title = `Daytona: open ${name} in`;
  pick.placeholder = "Where to open the sandbox's folder (the pin remembers the choice)";
  const pin: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon("pin"), tooltip: "Always open this way (daytona.files.openIn)" };
  pick.items = CHOICES.map((c) => ({ ...c, buttons: [pin] }));
  return new Promise<Choice | undefined>((resolve) => {
    let done = false;
    const finish = (c: Choice | undefined) => {
      if (done) return;
      done = true;
      resolve(c);
      pick.dispose();
    };
    pick.onDidAccept(() => finish(pick.selectedItems[0]?.choice));
    pick.onDidTriggerItemButton(async (e) => {
      await vscode.workspace.getConfiguration("daytona").update("files.openIn", e.item.choice, vscode.ConfigurationTarget.Global);
      finish(e.item.choice);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}

export interface ShowFolderOptions {
  /** Runs before this extension host may end (to hand work to the next one). */
  beforeLeaving?: () => Promise<void>;
  /** False where nobody can answer (the extension's own test host): "ask" then adds to the workspace. */
  interactive?: boolean;
}

/**
 * Returns true when this extension host goes on (the folder was added here without a restart),
 * false when it will not, undefined when the person cancelled the question.
 */
export async function showDaytonaFolder(uri: vscode.Uri, name: string, options: ShowFolderOptions = {}): Promise<boolean | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.some((f) => f.uri.toString() === uri.toString())) return true;
  const setting = vscode.workspace.getConfiguration("daytona").get<string>("files.openIn", "ask");
  let where: Choice | undefined = setting === "currentWindow" || setting === "newWindow" || setting === "workspace" ? setting : undefined;
  const restarts = folders.length <= 1 && !vscode.workspace.workspaceFile;
  if (!where) where = restarts && options.interactive !== false ? await askWhere(name) : "workspace";
  if (!where) return undefined;
  if (where === "newWindow" || where === "currentWindow") {
    await options.beforeLeaving?.();
    await vscode.commands.executeCommand("vscode.openFolder", uri, { forceNewWindow: where === "newWindow" });
    // A new window leaves this host running; the caller's work (a terminal) goes with the folder.
    return false;
  }
  if (restarts) await options.beforeLeaving?.();
  vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri, name });
  return !restarts;
}
