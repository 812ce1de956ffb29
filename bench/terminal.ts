// A keystroke's echo through a PTY opened by SandboxTarget.openPty, against its budget: one plain GET
// round trip + 5 ms.
import { DaytonaClient } from "../src/core/daytona/client";
import { SandboxTarget } from "../src/core/targets/sandboxTarget";
import { median, row, type Bench, type Row } from "./lib";

export async function benchTerminal(b: Bench, rtt: number): Promise<Row[]> {
  const L = b.latencyMs;
  const client = new DaytonaClient({ apiUrl: b.apiUrl, apiKey: b.token, target: "local" });
  try {
    const rec = await client.createSandbox({ name: `bench-terminal-${L}` });
    const target = await SandboxTarget.create(await client.toolbox(rec.id), "bench");
    let out = "";
    let waiter: (() => void) | undefined;
    let want = "";
    const pty = await target.openPty({ id: `bench-${L}`, cols: 80, rows: 24, env: { PS1: "$ " } }, (d) => {
      out += Buffer.from(d).toString("utf8");
      if (want && out.includes(want)) waiter?.();
    });
    const until = (s: string) =>
      new Promise<void>((resolve, reject) => {
        want = s;
        if (out.includes(s)) return resolve();
        const t = setTimeout(() => reject(new Error(`no echo of ${JSON.stringify(s)} in ${JSON.stringify(out.slice(-200))}`)), 10_000);
        waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    await pty.send("echo rea''dy\n");
    await until("ready");
    await new Promise((r) => setTimeout(r, 300));
    const times: number[] = [];
    const letters = b.fast ? "abcdefgh" : "abcdefghijklmnopqrst";
    for (const ch of letters) {
      out = "";
      const t0 = performance.now();
      await pty.send(ch);
      await until(ch);
      times.push(performance.now() - t0);
    }
    await pty.send("\u0015"); // clear the typed line
    await pty.kill();
    await client.delete(rec.id);
    return [
      row("terminal keystroke echo vs one round trip + 5 ms (budget)", L, median(times), rtt + 5, "ms", `median of ${times.length} keystrokes; the round trip is a plain GET's, ${rtt.toFixed(1)} ms`),
    ];
  } finally {
    await client.dispose();
  }
}
