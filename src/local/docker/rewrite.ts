// How a DinD sandbox's create calls are changed on their way to the host engine (pure; tested as data).
//
// - Every container, network and volume gets the label SANDBOX_LABEL=<sandbox id>.
// - Bind mounts name in-sandbox paths (docker-compose resolves ./data against the compose folder as
//   the client sees it, for example /home/daytona/app/data), but the host engine mounts them: their
//   sources are translated to the sandbox's host directories. A read-write bind must lie in the
//   sandbox's own writable directories (home, /tmp, /workspace); a read-only one anywhere the sandbox
//   can read. Anything else (the host's docker socket, other sandboxes, the data dir) is refused.
import { SANDBOX_LABEL } from "./services";
import type { CreateKind } from "./proxy";

/** In-sandbox path -> host path; throws when the sandbox may not use that path that way. */
export type TranslatePath = (insidePath: string, access: "read" | "write") => string;

function isRecord(v: unknown): v is Record<string, unknown> {
  return Boolean(v) && typeof v === "object" && !Array.isArray(v);
}

function addLabel(body: Record<string, unknown>, sandboxId: string): void {
  const labels = isRecord(body.Labels) ? body.Labels : {};
  labels[SANDBOX_LABEL] = sandboxId;
  body.Labels = labels;
}

/** "src:dst[:opts]" with an absolute src is a bind; anything else (a volume name) is left alone. */
function translateBind(spec: string, translate: TranslatePath): string {
  if (!spec.startsWith("/")) return spec;
  const parts = spec.split(":");
  const opts = parts.length >= 3 ? parts[parts.length - 1] : "";
  const readOnly = opts.split(",").includes("ro");
  const src = parts[0];
  return [translate(src, readOnly ? "read" : "write"), ...parts.slice(1)].join(":");
}

export function rewriteCreate(kind: CreateKind, body: Record<string, unknown>, sandboxId: string, translate: TranslatePath): void {
  addLabel(body, sandboxId);
  if (kind !== "containers" || !isRecord(body.HostConfig)) return;
  const hc = body.HostConfig;
  if (Array.isArray(hc.Binds)) {
    hc.Binds = hc.Binds.map((b: unknown) => {
      if (typeof b !== "string") throw new Error("HostConfig.Binds must hold strings");
      return translateBind(b, translate);
    });
  }
  if (Array.isArray(hc.Mounts)) {
    for (const m of hc.Mounts as unknown[]) {
      if (!isRecord(m) || m.Type !== "bind") continue;
      if (typeof m.Source !== "string") throw new Error("a bind mount needs a Source");
      m.Source = translate(m.Source, m.ReadOnly === true ? "read" : "write");
    }
  }
}
