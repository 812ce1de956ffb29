// How big a Docker-in-Docker sandbox is: what the started services declare (limits, else
// reservations, else cpus / mem_limit / mem_reservation), summed before rounding, plus 1 CPU and 1 GiB
// for the daemon; at least DIND_FLOOR; at most Daytona's per-sandbox limits unless x-daytona.resources
// asks for more (its keys replace the computed ones one by one). A service that declares nothing adds
// nothing: compose does not reserve anything for it either.
import type { Reporter } from "./diagnostics";
import { DIND_FLOOR, SANDBOX_LIMITS, type Resources } from "./plan";
import type { ComposeModel } from "./compose";

const GIB = 1024 ** 3;

export function dindResources(m: ComposeModel, report: Reporter): Resources {
  let cpus = 1;
  let bytes = GIB;
  let gpu = 0;
  for (const s of m.active) {
    cpus += s.resources.raw.cpus ?? 0;
    bytes += s.resources.raw.bytes ?? 0;
    gpu += s.resources.raw.gpu ?? 0;
  }
  const need = { cpu: Math.ceil(cpus - 1e-9), memory: Math.ceil(bytes / GIB - 1e-9) };
  const x = m.x.resources ?? {};
  const r: Resources = { cpu: Math.max(DIND_FLOOR.cpu, need.cpu), memory: Math.max(DIND_FLOOR.memory, need.memory), gpu };
  const over = (x.cpu === undefined && r.cpu > SANDBOX_LIMITS.cpu) || (x.memory === undefined && r.memory > SANDBOX_LIMITS.memory);
  if (over) {
    if (x.cpu === undefined) r.cpu = Math.min(r.cpu, SANDBOX_LIMITS.cpu);
    if (x.memory === undefined) r.memory = Math.min(r.memory, SANDBOX_LIMITS.memory);
    const at = m.x.positions.resources ?? m.servicesPos;
    report.warning(
      m.file,
      at,
      m.x.positions.resources ? "x-daytona.resources" : "services",
      `the services declare ${need.cpu} CPUs and ${need.memory} GiB in all (with 1 CPU and 1 GiB for the Docker daemon), more than Daytona's default per-sandbox limit: the sandbox is capped at ${r.cpu} CPUs and ${r.memory} GiB. If your organization's limits are higher, set x-daytona.resources (cpu, memory) to ask for more`,
    );
  }
  return { ...r, ...x };
}
