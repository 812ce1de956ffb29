// "Open in Daytona Sandbox" on a folder, a Dockerfile or a compose file: plan it, find the sandbox made
// before for it (starting it if stopped) or create one, sync the folder, then open a terminal in the
// synced folder, show the folder as a daytona: workspace folder (or in a new window) and reveal the
// sandbox in the tree.
import * as path from "node:path";
import * as vscode from "vscode";
import { formatDiagnostic } from "../../core/config";
import { isSinglePlan, openSingle, type OpenResult } from "../../core/create/openWorkspace";
import { openCompose, type ComposeOpenResult } from "../../core/create/openCompose";
import type { DindPlan } from "../../core/dind";
import type { DaytonaClient } from "../../core/daytona/client";
import { CreateCancelledError } from "../../core/create/createFromPlan";
import { showDaytonaFolder } from "../../fs/showFolder";
import { sandboxUri } from "../../fs/targetRegistry";
import type { Services } from "../../services";
import { terminalOptions } from "../../terminal/terminalOptions";
import { openRemoteTerminal } from "../../terminal/openRemoteTerminal";
import { reportFailure } from "../errors";
import { buildLogChannel } from "./buildLog";
import { rememberTerminal, takePendingTerminal } from "./pendingTerminal";

export interface OpenInSandboxOptions {
  /** Skip the terminal and the workspace folder (tests, other commands). */
  quiet?: boolean;
}

async function pickTarget(uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (uri?.scheme === "file") return uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === "file" && /(compose|docker-compose)\.ya?ml$|Dockerfile$/i.test(active.fsPath)) return active;
  const folders = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === "file") ?? [];
  if (folders.length === 1) return folders[0].uri;
  const pick = await vscode.window.showWorkspaceFolderPick({ placeHolder: "Folder to open in a Daytona sandbox" });
  return pick?.uri;
}

export function openInSandbox(services: Services) {
  return async (uri?: vscode.Uri, _uris?: unknown, options: OpenInSandboxOptions = {}): Promise<OpenResult | ComposeOpenResult | undefined> => {
    const target = await pickTarget(uri);
    if (!target) return undefined;
    const client = await services.connection.readyClient();
    const result = await services.planDiagnostics.check(target.fsPath);
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    for (const d of result.diagnostics) services.log[d.severity === "error" ? "error" : "warn"](formatDiagnostic(d));
    if (!result.plan || errors.length) {
      void vscode.window
        .showErrorMessage(
          `Daytona: ${path.basename(target.fsPath)} cannot be opened in a sandbox: ${errors.length} problem${errors.length === 1 ? "" : "s"}, first: ${errors[0] ? formatDiagnostic(errors[0]) : "no plan"}`,
          "Show Problems",
        )
        .then((choice) => choice && vscode.commands.executeCommand("workbench.actions.view.problems"));
      return undefined;
    }
    const plan = result.plan;
    if (!isSinglePlan(plan)) return openComposeProject(services, client, plan, options);
    const buildLog = buildLogChannel(services);
    const abort = new AbortController();
    let opened: OpenResult | undefined;
    try {
      opened = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Daytona: opening ${path.basename(plan.folder)}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          return openSingle(client, plan, {
            signal: abort.signal,
            syncCacheDir: path.join(services.context.globalStorageUri.fsPath, "sync"),
            onStep: (message) => {
              services.log.info(message);
              progress.report({ message });
            },
            onLog: (line) => {
              buildLog.appendLine(line);
              buildLog.show(true);
            },
            onSyncProgress: (p) => progress.report({ message: `sync: ${p.phase} ${p.done}/${p.total}` }),
          });
        },
      );
    } catch (err) {
      if (err instanceof CreateCancelledError || abort.signal.aborted) {
        services.log.info(`opening ${plan.folder} was cancelled`);
        return undefined;
      }
      await reportFailure(services, `open ${path.basename(plan.folder)} in a sandbox`, err);
      return undefined;
    }
    services.log.info(`${opened.reused ? "reused" : "created"} sandbox ${opened.sandbox.name}; synced ${opened.sync.uploadedFiles} files (${opened.sync.bytesSent} bytes) to ${opened.remoteDir}`);
    services.sandboxes.store.upsert(opened.sandbox);
    services.sandboxes.changed();
    if (!options.quiet) await showOpened(services, opened);
    return opened;
  };
}

async function showOpened(services: Services, opened: OpenResult): Promise<void> {
  const uri = vscode.Uri.parse(sandboxUri(opened.sandbox.id, opened.remoteDir));
  await services.sandboxes.reveal(opened.sandbox.id);
  // When this host will not survive showing the folder, the next one opens the terminal (pendingTerminal.ts).
  const stays = await showDaytonaFolder(uri, `${opened.sandbox.name} (Daytona)`, {
    beforeLeaving: () => rememberTerminal(services.context.globalState, opened.sandbox.id, opened.remoteDir),
    interactive: services.context.extensionMode !== vscode.ExtensionMode.Test,
  });
  // Cancelled: no folder, but the terminal still opens (the sandbox is there and running).
  if (stays === false) return;
  const target = await services.targets.get(opened.sandbox.id);
  openRemoteTerminal(target, terminalOptions(services, opened.sandbox.id, { cwd: opened.remoteDir, log: services.log }));
  offerRemoteWindow(opened);
}

/** The other way to work in it: the same synced folder in a full remote window over SSH. */
function offerRemoteWindow(opened: OpenResult): void {
  const remote = "Open in Remote Window (SSH)";
  void vscode.window
    .showInformationMessage(`Daytona: ${path.posix.basename(opened.remoteDir)} is open from sandbox ${opened.sandbox.name}. Language servers and the debugger can run in the sandbox too, in a remote window.`, remote)
    .then((choice) => {
      if (choice !== remote) return;
      return vscode.commands.executeCommand("daytona.sandbox.openRemoteSsh", undefined, undefined, { record: opened.sandbox, folder: opened.remoteDir });
    });
}

/** Opens the terminal that an earlier extension host asked for just before it was restarted. */
export async function openPendingTerminal(services: Services): Promise<void> {
  const pending = await takePendingTerminal(services.context.globalState);
  if (!pending) return;
  try {
    if ((await services.connection.settled()).kind !== "connected") return;
    const target = await services.targets.get(pending.sandboxId);
    openRemoteTerminal(target, terminalOptions(services, pending.sandboxId, { cwd: pending.cwd || undefined, log: services.log }));
  } catch (err) {
    services.log.warn(`could not reopen the terminal in ${pending.sandboxId}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Two or more services: one Docker-in-Docker sandbox, each service listed under it and reachable. */
async function openComposeProject(services: Services, client: DaytonaClient, plan: DindPlan, options: OpenInSandboxOptions): Promise<ComposeOpenResult | undefined> {
  const log = buildLogChannel(services);
  const abort = new AbortController();
  let opened: ComposeOpenResult;
  try {
    opened = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Daytona: bringing up ${path.basename(plan.file)} (${plan.services.length} services)`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        return openCompose(client, plan, {
          signal: abort.signal,
          syncCacheDir: path.join(services.context.globalStorageUri.fsPath, "sync"),
          log: (line) => {
            log.appendLine(line);
            services.log.info(`[compose] ${line}`);
            progress.report({ message: line.slice(0, 120) });
          },
        });
      },
    );
  } catch (err) {
    if (abort.signal.aborted) return undefined;
    log.show(true); // the daemon or compose output is there
    await reportFailure(services, `bring up ${path.basename(plan.file)}`, err);
    return undefined;
  }
  services.log.info(`${opened.reused ? "reused" : "brought up"} ${opened.project} in ${opened.sandbox.name}: ${opened.services.map((s) => `${s.name} (${s.state})`).join(", ")}`);
  services.sandboxes.store.upsert(opened.sandbox);
  services.sandboxes.composeServices?.set(opened.sandbox.id, opened.services);
  services.sandboxes.changed();
  if (!options.quiet) {
    await services.sandboxes.reveal(opened.sandbox.id);
    // The project's folder in the sandbox (compose file, sources) in the Explorer, as for a folder.
    const key = `${opened.sandbox.id}+${opened.defaultService}`;
    const stays = await showDaytonaFolder(vscode.Uri.parse(sandboxUri(opened.sandbox.id, opened.remoteDir)), `${opened.sandbox.name} (Daytona)`, {
      beforeLeaving: () => rememberTerminal(services.context.globalState, key, ""),
      interactive: services.context.extensionMode !== vscode.ExtensionMode.Test,
    });
    if (stays === false) return opened;
    const target = await services.targets.get(key);
    openRemoteTerminal(target, terminalOptions(services, opened.sandbox.id, { log: services.log }));
  }
  return opened;
}
