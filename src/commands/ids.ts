// Every command the extension contributes. A unit test checks that this list equals
// package.json's contributes.commands, and the registry's table is typed by it, so a command
// cannot be declared without being registered (or the other way round).
export const COMMAND_IDS = [
  "daytona.signIn",
  "daytona.useLocal",
  "daytona.switchProfile",
  "daytona.signOut",
  "daytona.reconnect",
  "daytona.refresh",
  "daytona.showLog",
  "daytona.sandboxes.filter",
  "daytona.sandboxes.clearFilter",
  "daytona.sandboxes.sortBy",
  "daytona.sandboxes.cleanUpGroup",
  "daytona.sandbox.create",
  "daytona.sandbox.start",
  "daytona.sandbox.stop",
  "daytona.sandbox.archive",
  "daytona.sandbox.delete",
  "daytona.sandbox.editLabels",
  "daytona.sandbox.copyId",
  "daytona.sandbox.openPreview",
  "daytona.sandbox.showBuildLogs",
  "daytona.sandbox.snapshot",
  "daytona.sandbox.fork",
  "daytona.sandbox.openTerminal",
  "daytona.sandbox.openFiles",
  "daytona.files.download",
  "daytona.files.upload",
  "daytona.openInSandbox",
  "daytona.previewPlan",
  "daytona.snapshot.createSandbox",
  "daytona.snapshot.activate",
  "daytona.snapshot.delete",
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
