import type * as vscode from "vscode";
import type { ConnectionManager } from "./connection/connectionManager";
import type { PlanDiagnostics } from "./config/planDiagnostics";
import type { DaytonaFileSystem } from "./fs/daytonaFileSystem";
import type { TargetRegistry } from "./fs/targetRegistry";
import type { SandboxesView } from "./views/sandboxes/sandboxesView";
import type { SnapshotsView } from "./views/snapshots/snapshotsView";
import type { VolumesView } from "./views/volumes/volumesView";
import type { RemoteTests } from "./testing/remoteTests";
import type { SshHosts } from "./ssh/sshHosts";

/** What activate() builds once and hands to every area; passed explicitly, never a global. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly connection: ConnectionManager;
  readonly sandboxes: SandboxesView;
  readonly snapshots: SnapshotsView;
  readonly volumes: VolumesView;
  readonly targets: TargetRegistry;
  readonly fileSystem: DaytonaFileSystem;
  readonly planDiagnostics: PlanDiagnostics;
  /** SSH hosts of sandboxes (remote windows, SSH commands). */
  readonly ssh: SshHosts;
  /** Remote tests in the Test Explorer; set by registerTesting right after the services are built. */
  testing?: RemoteTests;
}
