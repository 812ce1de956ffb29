// The bench's chart: each timed measure against the link's round trip, with its baseline dashed, one
// small chart per measure (they differ by orders of magnitude). Drawn by Chart.js in headless Chromium
// (the same Debian chromium and playwright-core the UI checks use) and saved as a PNG.
import * as path from "node:path";
import { chromium } from "playwright-core";
import type { Row } from "./lib";

/** Timed rows only (unit ms, with a latency), grouped by measurement name in first-seen order. */
export function chartSeries(rows: Row[]): Array<{ name: string; points: Array<{ x: number; value: number; baseline: number | null }> }> {
  const out = new Map<string, Array<{ x: number; value: number; baseline: number | null }>>();
  for (const r of rows) {
    if (r.unit !== "ms" || r.latencyMs === null) continue;
    const list = out.get(r.name) ?? [];
    list.push({ x: r.latencyMs, value: r.value, baseline: r.baseline });
    out.set(r.name, list);
  }
  return [...out].map(([name, points]) => ({ name, points: points.sort((a, b) => a.x - b.x) }));
}

export async function renderChart(rows: Row[], outPng: string, title: string): Promise<void> {
  const series = chartSeries(rows);
  if (!series.length) return;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const cols = 3;
    const page = await browser.newPage({ viewport: { width: 1200, height: 100 + Math.ceil(series.length / cols) * 300 }, deviceScaleFactor: 1 });
    await page.setContent(
      `<html><body style="margin:0;background:#fff;font-family:sans-serif"><div id="all" style="padding:12px">` +
        `<div style="font-size:15px;margin:4px 8px 8px">${escapeHtml(title)}</div>` +
        `<div style="display:grid;grid-template-columns:repeat(${cols},1fr);gap:12px">` +
        series.map((_, i) => `<div style="height:280px"><canvas id="c${i}"></canvas></div>`).join("") +
        `</div></div></body></html>`,
    );
    // The UMD build is not in the package's exports map: found next to its main entry.
    await page.addScriptTag({ path: path.join(path.dirname(require.resolve("chart.js")), "chart.umd.js") });
    const line = (label: string, data: Array<{ x: number; y: number | null }>, color: string, dash: number[]) => ({
      label,
      data,
      borderColor: color,
      backgroundColor: color,
      borderDash: dash,
      tension: 0,
      pointRadius: 3,
    });
    const configs = series.map((s) => ({
      type: "line",
      data: {
        datasets: [line("measured", s.points.map((p) => ({ x: p.x, y: p.value })), "#1f6feb", []), line("baseline", s.points.map((p) => ({ x: p.x, y: p.baseline })), "#888", [6, 4])],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: wrap(s.name, 60) } },
        scales: {
          x: { type: "linear", title: { display: true, text: "round trip added by the link (ms)" } },
          y: { beginAtZero: true, title: { display: true, text: "ms" } },
        },
      },
    }));
    // Plain data and a script string: nothing of this process's compiled code runs in the page.
    await page.evaluate(`${JSON.stringify(configs)}.forEach((c, i) => new Chart(document.getElementById("c" + i), c))`);
    await page.locator("#all").screenshot({ path: outPng });
  } finally {
    await browser.close();
  }
}

/** Title lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const word of text.split(" ")) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
