// Benchmark numbers that need the extension host, recorded (not asserted) when DAYTONA_BENCH=1:
// requests per minute at the local server while the extension idles with the Daytona views hidden,
// then visible. bench/run.ts runs this suite through test/host/run-integration.mjs and reads the JSON
// written to DAYTONA_BENCH_OUT. Without DAYTONA_BENCH the suite is skipped (it asserts nothing).
import * as fs from "node:fs";
import * as vscode from "vscode";
import { connectLocal, localStats, resetLocalStats, services } from "../support";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("bench (DAYTONA_BENCH=1): idle requests", function () {
  const seconds = Number(process.env.DAYTONA_BENCH_IDLE_SECONDS ?? 20);
  this.timeout((seconds * 2 + 60) * 1000);

  before(function () {
    if (!process.env.DAYTONA_BENCH) this.skip();
  });

  it("records requests per minute while idle, views hidden and visible", async () => {
    const s = await services();
    await connectLocal(s);
    const measure = async (): Promise<{ requests: number; byRoute: Record<string, number> }> => {
      await sleep(3000); // let the switch's own refresh settle
      await resetLocalStats(s);
      await sleep(seconds * 1000);
      const st = await localStats(s);
      return { requests: st.requests, byRoute: st.byRoute };
    };
    await vscode.commands.executeCommand("workbench.view.explorer");
    const hidden = await measure();
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    const visible = await measure();
    await vscode.commands.executeCommand("workbench.view.explorer");
    const perMinute = (n: number) => (n * 60) / seconds;
    const out = { seconds, hidden: { ...hidden, perMinute: perMinute(hidden.requests) }, visible: { ...visible, perMinute: perMinute(visible.requests) } };
    fs.writeFileSync(process.env.DAYTONA_BENCH_OUT ?? "bench-idle.json", JSON.stringify(out, null, 2));
  });
});
