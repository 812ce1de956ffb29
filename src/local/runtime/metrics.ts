// Resource usage of a sandbox under today's runtime (processes on the host): CPU time and resident
// memory summed over the sandbox's process trees from /proc, disk as the size of its host directory.
// The limits (cpu count, memory, disk) are the sandbox's own; nothing here enforces them.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import type { SandboxLimits, SandboxMetrics } from "../contract";
import { descendants } from "./processTree";

const GIB = 1024 ** 3;
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on every Linux port in use). */
const TICKS_PER_SECOND = 100;
const PAGE = 4096;
/** `du` over a big home directory is not free; reuse a result this long. */
const DISK_CACHE_MS = 10_000;

interface ProcSample {
  ticks: number;
  rssBytes: number;
}

function readProc(pid: number): ProcSample | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised name: state(3) ... utime(14) stime(15) ... rss(24).
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ticks: Number(rest[11]) + Number(rest[12]), rssBytes: Number(rest[21]) * PAGE };
  } catch {
    return undefined;
  }
}

function diskUsage(dirs: string[]): Promise<number> {
  const existing = dirs.filter((d) => fs.existsSync(d));
  if (existing.length === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    execFile("du", ["-sbc", "--", ...existing], { timeout: 20_000 }, (_err, stdout) => {
      // `du` exits 1 when a file vanished mid-walk; its total line is still right.
      const total = /^(\d+)\s+total$/m.exec(String(stdout));
      resolve(total ? Number(total[1]) : 0);
    });
  });
}

export class MetricsSampler {
  private readonly last = new Map<string, { ticks: number; at: number }>();
  private readonly disk = new Map<string, { bytes: number; at: number }>();

  async sample(id: string, hostDir: string, rootPids: number[], limits: SandboxLimits): Promise<SandboxMetrics> {
    const pids = new Set<number>();
    for (const root of rootPids) {
      if (root <= 0) continue;
      pids.add(root);
      for (const d of descendants(root)) pids.add(d);
    }
    let ticks = 0;
    let rss = 0;
    for (const pid of pids) {
      const s = readProc(pid);
      if (!s) continue;
      ticks += s.ticks;
      rss += s.rssBytes;
    }
    const now = Date.now();
    const prev = this.last.get(id);
    this.last.set(id, { ticks, at: now });
    const cpuCount = Math.max(1, Math.round(limits.cpu));
    let cpuUsedPct = 0;
    if (prev && now > prev.at && ticks >= prev.ticks) {
      const cpuSeconds = (ticks - prev.ticks) / TICKS_PER_SECOND;
      cpuUsedPct = Math.min(100, (100 * cpuSeconds) / (((now - prev.at) / 1000) * cpuCount));
    }
    let d = this.disk.get(id);
    if (!d || now - d.at > DISK_CACHE_MS) {
      d = { bytes: await diskUsage([hostDir]), at: now };
      this.disk.set(id, d);
    }
    return {
      cpuCount,
      cpuUsedPct: Math.round(cpuUsedPct * 100) / 100,
      memTotal: Math.round(limits.memoryGiB * GIB),
      memUsed: rss,
      memCache: 0,
      diskTotal: Math.round(limits.diskGiB * GIB),
      diskUsed: d.bytes,
    };
  }
}
