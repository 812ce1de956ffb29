// Test command detection and report parsing for "run tests in the sandbox". vscode-free.
export { REPORT_PATH, fromSetting, type Framework, type ReportFormat, type TestCommand, type CommandParts } from "./command";
export { detectTestCommand, nodeFiles, type FileAccess } from "./detect";
export { rerunFilter, testFileFilter, type TestRef } from "./filters";
export { parseJUnit } from "./junit";
export { createTapStream, parseTap } from "./tap";
export { createGoJsonStream, parseGoTestJson } from "./gojson";
export { createLibtestStream, parseLibtest } from "./libtest";
export { createReportStream, parseReport } from "./report";
export { mapToLocal, parseLocation, parseLocations, relativeToRoot } from "./paths";
export * from "./results";
export { installOffer, missingRunner, packageJsonDeclares, requirementsDeclare, type InstallOffer, type MissingRunner } from "./missingRunner";
