import * as vscode from "vscode";
import type { SnapshotRecord } from "../../core/daytona/records";
import type { Services } from "../../services";
import { isSnapshotRecord } from "../args";

/** The selection when the clicked snapshot is part of it, the clicked one, or a pick. */
export async function targetSnapshots(services: Services, nodeIn: unknown, nodesIn: unknown, verb: string, applies: (s: SnapshotRecord) => boolean): Promise<SnapshotRecord[]> {
  const node = isSnapshotRecord(nodeIn) ? nodeIn : undefined;
  const nodes = Array.isArray(nodesIn) ? (nodesIn as unknown[]).filter(isSnapshotRecord) : undefined;
  if (node) return (nodes?.some((n) => n.id === node.id) ? nodes : [node]).filter(applies);
  const candidates = services.snapshots.provider.all().filter(applies);
  const picked = await vscode.window.showQuickPick(
    candidates.map((s) => ({ label: s.name, description: s.state, record: s })),
    { canPickMany: true, title: `Daytona: snapshots to ${verb}` },
  );
  return (picked ?? []).map((p) => p.record);
}
