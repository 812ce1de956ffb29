// A test runner that is not installed in the sandbox: say so once per run with the reason, and offer
// to install it from where the project declares it (requirements.txt, package.json), then run again.
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import type { SandboxRecord } from "../core/daytona/records";
import { installOffer, missingRunner } from "../core/testing";
import type { Services } from "../services";
import { errorText, remoteDirOf } from "./runProject";
import { runSessionCommand } from "./sessionCommand";

/** The reason a run could not run, in one line for the Testing view (or undefined when it is not that). */
export function missingRunnerReason(output: string): string | undefined {
  const m = missingRunner(output);
  return m ? `${m.runner} is not installed in the sandbox` : undefined;
}

/** Tells the person and, where the project declares the runner, offers to install it and re-run. */
export async function offerRunnerInstall(services: Services, folder: string, sandbox: SandboxRecord, output: string, rerun: () => unknown): Promise<void> {
  const missing = missingRunner(output);
  if (!missing) return;
  const offer = await installOffer(missing, (f) => readFile(path.join(folder, f), "utf8").catch(() => undefined));
  const name = path.basename(folder);
  if (!offer) {
    const where = missing.ecosystem === "python" ? "requirements.txt" : "package.json";
    const choice = await vscode.window.showWarningMessage(
      `Daytona: ${missing.runner} is not installed in the sandbox of ${name}, and ${where} does not declare it. Add it there (then run the tests again) or install it in a terminal.`,
      "Open Terminal",
    );
    if (choice) await vscode.commands.executeCommand("daytona.sandbox.openTerminal", { kind: "sandbox", id: sandbox.id, record: sandbox, children: [], tags: [] });
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `Daytona: ${missing.runner} is not installed in the sandbox of ${name}. Install what ${offer.file} declares and run the tests again?`,
    "Install and Run Again",
    "Show Output",
  );
  if (choice === "Show Output") return services.log.show(true);
  if (choice !== "Install and Run Again") return;
  try {
    const ok = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Daytona: installing ${offer.file} in ${sandbox.name}`, cancellable: true },
      async (_p, token) => {
        const sdk = await services.connection.client().toolbox(sandbox.id);
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        services.log.info(`tests: ${sandbox.name}$ ${offer.command}`);
        const line = (text: string) => text.split(/\r?\n/).filter(Boolean).forEach((l) => services.log.info(`[install] ${l}`));
        const r = await runSessionCommand(sdk, { command: offer.command, cwd: await remoteDirOf(sdk, folder), signal: abort.signal, onStdout: line, onStderr: line });
        if (r.cancelled) return false;
        if (r.exitCode !== 0) throw new Error(`${offer.command} exited with code ${r.exitCode ?? "unknown"} (the log has its output)`);
        return true;
      },
    );
    if (ok) await rerun();
  } catch (err) {
    const message = `Failed to install ${offer.file} in ${sandbox.name}: ${errorText(err)}`;
    services.log.error(message);
    void vscode.window.showErrorMessage(message, "Show Output").then((c) => c && services.log.show(true));
  }
}
