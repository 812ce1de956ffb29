// Runs one lifecycle operation over several sandboxes at once, with progress, one error message per
// failure ("Failed to stop sandbox x: reason"), and a refresh afterwards.
import * as vscode from "vscode";
import type { DaytonaClient } from "../../core/daytona/client";
import type { SandboxRecord } from "../../core/daytona/records";
import type { Services } from "../../services";
import { reportFailure } from "../errors";

export async function runOnSandboxes(
  services: Services,
  records: SandboxRecord[],
  verb: { present: string; progressive: string },
  op: (client: DaytonaClient, r: SandboxRecord) => Promise<void>,
): Promise<number> {
  if (records.length === 0) return 0;
  const client = services.connection.client();
  const title = records.length === 1 ? `${verb.progressive} sandbox ${records[0].name}…` : `${verb.progressive} ${records.length} sandboxes…`;
  const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Daytona: ${title}` }, () =>
    Promise.allSettled(
      records.map(async (r) => {
        services.log.info(`${verb.present} sandbox ${r.name} (${r.id})`);
        await op(client, r);
      }),
    ),
  );
  let ok = 0;
  for (const [i, res] of results.entries()) {
    if (res.status === "fulfilled") ok++;
    else await reportFailure(services, `${verb.present} sandbox ${records[i].name}`, res.reason);
  }
  services.sandboxes.changed();
  return ok;
}
