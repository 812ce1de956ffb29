// Creating (or finding again) the one sandbox for a plan of kind default, dockerfile or
// compose-single. Dockerfile builds stream their log; cancelling stops waiting and deletes what was
// being made.
import type { DaytonaClient } from "../daytona/client";
import { toSandboxRecord, type SandboxRecord } from "../daytona/records";
import type { CreatePlan } from "../config/plan";
import { reuseSelector, toCreateParams } from "./createParams";

export type SinglePlan = Extract<CreatePlan, { kind: "default" | "dockerfile" | "compose-single" }>;

export interface CreateOptions {
  onLog?(line: string): void;
  signal?: AbortSignal;
  timeoutSeconds?: number;
  name?: string;
}

/** The sandbox made before for the same folder and config, if it still exists. */
export async function findReusable(client: DaytonaClient, plan: CreatePlan): Promise<SandboxRecord | undefined> {
  const selector = reuseSelector(plan.sandbox.labels);
  if (Object.keys(selector).length < 3) return undefined;
  const found = await client.listSandboxes(selector);
  // Forks carry their parent's labels; they are copies, not the folder's own sandbox.
  const usable = found.filter((r) => !r.parentId && !["destroyed", "destroying", "error", "build_failed"].includes(r.state));
  usable.sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
  return usable[0];
}

export class CreateCancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "CreateCancelledError";
  }
}

export async function createFromPlan(client: DaytonaClient, plan: SinglePlan, options: CreateOptions = {}): Promise<SandboxRecord> {
  const params = toCreateParams(plan.sandbox, options.name);
  const timeout = options.timeoutSeconds ?? plan.sandbox.timeoutSeconds ?? (params.image && typeof params.image !== "string" ? 600 : 120);
  return client.withSdk(async (daytona, sdk) => {
    const { image, ...rest } = params;
    const sdkImage = image === undefined ? undefined : typeof image === "string" ? image : sdk.Image.fromDockerfile(image.dockerfile);
    const creating = sdkImage
      ? daytona.create({ ...rest, image: sdkImage }, { timeout, onSnapshotCreateLogs: (chunk) => options.onLog?.(chunk) })
      : daytona.create({ ...rest }, { timeout });
    if (!options.signal) return toSandboxRecord(await creating);
    // The SDK cannot abort a create; on cancel, stop waiting and delete the sandbox once it exists.
    const cancelled = new Promise<never>((_, reject) => {
      const onAbort = () => reject(new CreateCancelledError());
      if (options.signal!.aborted) onAbort();
      options.signal!.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return toSandboxRecord(await Promise.race([creating, cancelled]));
    } catch (err) {
      if (err instanceof CreateCancelledError) {
        void creating.then((s) => s.delete()).catch(() => undefined);
        void deleteByLabels(client, plan).catch(() => undefined);
      }
      throw err;
    }
  });
}

/** After a cancel while building: whatever was made for this plan and is not started is removed. */
async function deleteByLabels(client: DaytonaClient, plan: CreatePlan): Promise<void> {
  const selector = reuseSelector(plan.sandbox.labels);
  for (const r of await client.listSandboxes(selector)) if (r.state !== "started") await client.delete(r.id).catch(() => undefined);
}
