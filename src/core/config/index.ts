// Workspace config -> CreatePlan. See docs/compose.md for what is honoured and what is reported.
export { planFromPath, nodeFiles, folderHash } from "./planWorkspace";
export { formatDiagnostic } from "./diagnostics";
export { DISCOVERY_ORDER, classifyFile } from "./discovery";
export { parseBytes } from "./resources";
export { interpolate } from "./interpolate";
export * from "./plan";
