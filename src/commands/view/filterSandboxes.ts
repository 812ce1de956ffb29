// Filter the Sandboxes view by text (name, id, label key=value) and by state.
import * as vscode from "vscode";
import type { SandboxState } from "../../core/daytona/records";
import type { Services } from "../../services";
import { stringArg, stringArrayArg } from "../args";

const STATES: SandboxState[] = ["started", "stopped", "archived", "error", "build_failed", "starting", "stopping", "creating"];

export function filterSandboxes(services: Services) {
  // From code: (text, states). From the view title: the selected item, which is neither, so it asks.
  return async (textIn?: unknown, statesIn?: unknown): Promise<void> => {
    const textArg = stringArg(textIn);
    const statesArg = stringArrayArg(statesIn)?.filter((s): s is SandboxState => (STATES as string[]).includes(s));
    if (textArg !== undefined || statesArg !== undefined) {
      services.sandboxes.setFilter({ text: textArg || undefined, states: statesArg });
      return;
    }
    const current = services.sandboxes.currentFilter;
    const text = await vscode.window.showInputBox({
      title: "Daytona: filter sandboxes",
      prompt: "Matches the name, the id, or a label as key=value. Empty shows all.",
      value: current.text ?? "",
    });
    if (text === undefined) return;
    const picked = await vscode.window.showQuickPick(
      STATES.map((s) => ({ label: s.replace(/_/g, " "), state: s, picked: current.states?.includes(s) ?? false })),
      { canPickMany: true, title: "Daytona: only these states (none picked = all)" },
    );
    if (picked === undefined) return;
    services.sandboxes.setFilter({ text: text.trim() || undefined, states: picked.length ? picked.map((p) => p.state) : undefined });
  };
}
