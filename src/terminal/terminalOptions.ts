// What every Daytona terminal gets besides its target: how to find the target again after the
// connection changed, and how to tell that the sandbox itself ended the shell (stopped, deleted).
import { toDaytonaError } from "../core/daytona/errors";
import type { ConnectionManager } from "../connection/connectionManager";
import type { TargetRegistry } from "../fs/targetRegistry";
import type { RemoteTerminalOptions } from "./remotePseudoterminal";

export interface TerminalContext {
  connection: ConnectionManager;
  targets: Pick<TargetRegistry, "get">;
}

/** `sandboxId` may be a target key ("<id>+<service>"): the sandbox is what stops. */
export function terminalOptions(ctx: TerminalContext, sandboxId: string, extra: RemoteTerminalOptions = {}): RemoteTerminalOptions {
  sandboxId = sandboxId.split("+")[0];
  return { ...extra, resolve: (key) => ctx.targets.get(key), whyEnded: () => sandboxEnded(ctx.connection, sandboxId) };
}

/** "sandbox x was stopped" when it is not running any more; undefined while it runs or cannot be asked. */
export async function sandboxEnded(connection: ConnectionManager, sandboxId: string): Promise<string | undefined> {
  const state = connection.state;
  if (state.kind !== "connected") return undefined;
  try {
    const r = await state.client.getSandbox(sandboxId);
    if (r.state === "started") return undefined;
    return r.state === "stopped" || r.state === "stopping" ? `sandbox ${r.name} was stopped` : `sandbox ${r.name} is ${r.state.replace(/_/g, " ")}`;
  } catch (err) {
    return toDaytonaError(err).kind === "notFound" ? `sandbox ${sandboxId} was deleted` : undefined;
  }
}
