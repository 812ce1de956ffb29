// Every command the extension contributes. A unit test checks that this list equals
// package.json's contributes.commands, and the registry's table is typed by it, so a command
// cannot be declared without being registered (or the other way round).
export const COMMAND_IDS = ["daytona.signIn", "daytona.useLocal", "daytona.refresh", "daytona.showLog"] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
