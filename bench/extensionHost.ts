// Requests per minute while idle (views hidden / visible): measured inside a real extension host by
// test/integration/suites/bench.test.ts (DAYTONA_BENCH=1), run through test/host/run-integration.mjs.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { row, type Row } from "./lib";

interface Idle {
  seconds: number;
  hidden: { requests: number; perMinute: number; byRoute: Record<string, number> };
  visible: { requests: number; perMinute: number; byRoute: Record<string, number> };
}

export function benchIdle(root: string, seconds = 20): Row[] {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "daytona-bench-idle-")), "idle.json");
  const r = spawnSync(process.execPath, ["test/host/run-integration.mjs"], {
    cwd: root,
    env: { ...process.env, DAYTONA_BENCH: "1", DAYTONA_BENCH_OUT: out, DAYTONA_BENCH_IDLE_SECONDS: String(seconds), DAYTONA_IT_GREP: "bench \\(DAYTONA_BENCH=1\\)" },
    encoding: "utf8",
    timeout: 300_000,
  });
  if (!fs.existsSync(out)) throw new Error(`the idle benchmark wrote nothing:\n${r.stdout}\n${r.stderr}`);
  const idle = JSON.parse(fs.readFileSync(out, "utf8")) as Idle;
  const routes = (b: Record<string, number>) => Object.entries(b).map(([k, v]) => `${k} x${v}`).join(", ") || "none";
  return [
    row("idle requests per minute, Daytona views hidden (budget 0)", 0, idle.hidden.perMinute, null, "requests/min", `${idle.hidden.requests} in ${idle.seconds} s: ${routes(idle.hidden.byRoute)}`),
    row("idle requests per minute, Daytona views visible (push, no polling)", 0, idle.visible.perMinute, null, "requests/min", `${idle.visible.requests} in ${idle.seconds} s: ${routes(idle.visible.byRoute)}`),
  ];
}
