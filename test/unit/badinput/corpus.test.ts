// The bad-input corpus (test/fixtures/bad-input): every malformed compose file, Dockerfile and
// x-daytona block gives a diagnostic in the right file, on the right line, with a message that says
// what is wrong, and planFromPath never throws nor reaches its internal-error safety net.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { planFromPath } from "../../../src/core/config";

const ROOT = path.join(__dirname, "../../fixtures/bad-input");

interface Entry {
  id: string;
  target: string;
  file: string;
  line: number;
  message: string;
  severity?: "error" | "warning";
  unclear?: string;
}

const index = JSON.parse(readFileSync(path.join(ROOT, "index.json"), "utf8")) as Entry[];

test("the corpus holds at least 50 cases and index.json lists every folder exactly once", () => {
  assert.ok(index.length >= 50, `${index.length} cases`);
  const folders = readdirSync(ROOT).filter((n) => statSync(path.join(ROOT, n)).isDirectory()).sort();
  assert.deepEqual(index.map((e) => e.id).sort(), folders);
  const kinds = new Set(index.map((e) => e.id.split("-")[0]));
  assert.deepEqual([...kinds].sort(), ["compose", "dockerfile", "xdaytona"]);
});

for (const e of index) {
  test(`bad input: ${e.id}`, { todo: e.unclear }, async () => {
    const dir = path.join(ROOT, e.id);
    const res = await planFromPath(path.join(dir, e.target));
    const shown = res.diagnostics.map((d) => `${path.relative(dir, d.file)}:${d.line}: ${d.severity}: ${d.message}`).join("\n");
    assert.deepEqual(res.diagnostics.filter((d) => d.message.startsWith("internal error")), [], shown);
    const severity = e.severity ?? "error";
    if (severity === "error") assert.equal(res.plan, undefined, "no plan from malformed input");
    const hit = res.diagnostics.find(
      (d) => d.severity === severity && path.relative(dir, d.file) === e.file && d.line === e.line && d.message.includes(e.message),
    );
    assert.ok(hit, `expected ${e.file}:${e.line}: ${severity}: ...${e.message}...; got:\n${shown}`);
    for (const d of res.diagnostics) assert.ok(d.line >= 1 && d.column >= 1 && d.message.length > 0, JSON.stringify(d));
  });
}
