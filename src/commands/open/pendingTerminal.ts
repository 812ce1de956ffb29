// Adding a folder to a single-folder window turns it into a multi-root workspace, and VS Code
// restarts the extension host to do it: a terminal opened just before would die with the old host.
// So the terminal to open is written down first and opened by whichever host activates next.
import type * as vscode from "vscode";

const KEY = "daytona.pendingTerminal";
const MAX_AGE_MS = 120_000;

interface Pending {
  sandboxId: string;
  cwd: string;
  at: number;
}

export async function rememberTerminal(state: vscode.Memento, sandboxId: string, cwd: string): Promise<void> {
  await state.update(KEY, { sandboxId, cwd, at: Date.now() } satisfies Pending);
}

/** The terminal a previous host asked for, if recent; cleared as it is taken. */
export async function takePendingTerminal(state: vscode.Memento): Promise<Pending | undefined> {
  const p = state.get<Pending>(KEY);
  if (!p) return undefined;
  await state.update(KEY, undefined);
  return Date.now() - p.at < MAX_AGE_MS ? p : undefined;
}
