// Resource usage of a sandbox's container, from the engine: CPU as a share of the sandbox's own cpu
// limit since the previous sample, memory as the cgroup's usage less its page cache, disk as what the
// sandbox wrote on top of its image (the container's writable layer). The limits are the sandbox's.
import type Docker from "dockerode";
import type { SandboxLimits, SandboxMetrics } from "../contract";

const GIB = 1024 ** 3;
/** Sizing a writable layer walks it: reuse a result this long. */
const DISK_CACHE_MS = 10_000;

interface CgroupStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

export class MetricsSampler {
  private readonly last = new Map<string, { cpuNs: number; at: number }>();
  private readonly disk = new Map<string, { bytes: number; at: number }>();

  constructor(private readonly docker: Docker) {}

  async sample(id: string, container: string, limits: SandboxLimits): Promise<SandboxMetrics> {
    const c = this.docker.getContainer(container);
    const stats = (await c.stats({ stream: false })) as unknown as CgroupStats;
    const now = Date.now();
    const cpuNs = stats.cpu_stats?.cpu_usage?.total_usage ?? 0;
    const prev = this.last.get(id);
    this.last.set(id, { cpuNs, at: now });
    const cpuCount = Math.max(1, Math.round(limits.cpu));
    let cpuUsedPct = 0;
    if (prev && now > prev.at && cpuNs >= prev.cpuNs) {
      cpuUsedPct = Math.min(100, (100 * (cpuNs - prev.cpuNs)) / 1e9 / (((now - prev.at) / 1000) * cpuCount));
    }
    const mem = stats.memory_stats ?? {};
    // cgroup v2 names the cache inactive_file, v1 total_inactive_file / cache.
    const cache = mem.stats?.inactive_file ?? mem.stats?.total_inactive_file ?? mem.stats?.cache ?? 0;
    let d = this.disk.get(id);
    if (!d || now - d.at > DISK_CACHE_MS) {
      const info = (await c.inspect({ size: true } as Docker.ContainerInspectOptions)) as Docker.ContainerInspectInfo & { SizeRw?: number };
      d = { bytes: info.SizeRw ?? 0, at: now };
      this.disk.set(id, d);
    }
    return {
      cpuCount,
      cpuUsedPct: Math.round(cpuUsedPct * 100) / 100,
      memTotal: Math.round(limits.memoryGiB * GIB),
      memUsed: Math.max(0, (mem.usage ?? 0) - cache),
      memCache: cache,
      diskTotal: Math.round(limits.diskGiB * GIB),
      diskUsed: d.bytes,
    };
  }

  forget(id: string): void {
    this.last.delete(id);
    this.disk.delete(id);
  }
}
