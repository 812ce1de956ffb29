// Docker-in-Docker: compose projects of two or more services inside one sandbox.
export { bringUp, discoverServices, teardown, uploadLayout, type BringUpOptions, type BringUpResult, type DindPlan, type ServiceInfo, type TeardownOptions } from "./bringUp";
export { DindError, run, execRaw, type Exec } from "./runner";
export type { Command } from "./command";
export type { ComposeCli, ContainerRow } from "./parse";
