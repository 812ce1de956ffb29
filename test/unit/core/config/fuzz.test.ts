// Random YAML-ish documents must never make the planner throw: every problem is a Diagnostic, and the
// internal-error safety net in planFromPath never fires. Seeded, so a failure can be replayed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { planFromPath } from "../../../../src/core/config";
import { memoryFiles } from "./harness";

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20240601);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ["services", "x-daytona", "image", "build", "environment", "deploy", "resources", "limits", "reservations", "cpus", "memory", "devices", "count", "capabilities", "device_ids", "env_file", "user", "network_mode", "profiles", "depends_on", "x-default", "ports", "volumes", "extends", "gpus", "mem_limit", "auto_stop_interval", "labels", "env_vars", "snapshot", "network_allow_list", "context", "dockerfile", "<<", "web", "db", "main", "default", "constructor", "__proto__", "toString", "hasOwnProperty"];
const SCALARS = ["", "~", "null", "true", "no", "0", "-1", "1.5", "1e309", ".nan", "all", "2g", "512m", "gpu", "${X}", "${X:?boom}", "$", "$$", "'q'", '"d\\n"', "&a x", "*a", "*nope", "!!binary AAAA", "!reset x", "[", "]", "{", "}", ": ", "- ", "#", "|", ">", "\t", "\u0000", "é", "Dockerfile", "./app", "../..", "/abs"];

function doc(r: () => number): string {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const lines: string[] = [];
  const n = 1 + Math.floor(r() * 25);
  for (let i = 0; i < n; i++) {
    const indent = " ".repeat(Math.floor(r() * 5) * 2);
    const roll = r();
    if (roll < 0.45) lines.push(`${indent}${pick(KEYS)}:${r() < 0.5 ? ` ${pick(SCALARS)}` : ""}`);
    else if (roll < 0.65) lines.push(`${indent}- ${pick(SCALARS)}`);
    else if (roll < 0.8) lines.push(`${indent}${pick(KEYS)}: {${pick(KEYS)}: ${pick(SCALARS)}, ${pick(KEYS)}: [${pick(SCALARS)}]}`);
    else if (roll < 0.9) lines.push(pick(["---", "%YAML 1.2", "? complex", "<<: *a", "a: &a [*a]", `${indent}${pick(SCALARS)}${pick(SCALARS)}`]));
    else lines.push(Array.from({ length: 1 + Math.floor(r() * 30) }, () => String.fromCharCode(Math.floor(r() * 128))).join(""));
  }
  return lines.join("\n");
}

test(`fuzz: ${RUNS} random compose documents never throw`, { timeout: 120_000 }, async () => {
  const r = rng(SEED);
  const started = Date.now();
  let withPlan = 0;
  for (let i = 0; i < RUNS; i++) {
    const text = doc(r);
    const files = memoryFiles({ "compose.yaml": text, Dockerfile: r() < 0.5 ? "FROM x\n" : doc(r), ".env": r() < 0.2 ? doc(r) : "A=1\n" });
    const res = await planFromPath("/ws/compose.yaml", { files, env: { X: "1" } });
    const internal = res.diagnostics.filter((d) => d.message.startsWith("internal error"));
    assert.deepEqual(internal, [], `run ${i} (seed ${SEED}) input:\n${text}`);
    for (const d of res.diagnostics) assert.ok(d.line >= 1 && d.column >= 1 && d.file && d.message, `bad diagnostic ${JSON.stringify(d)}`);
    if (res.plan) withPlan++;
    else assert.ok(res.diagnostics.some((d) => d.severity === "error"), "no plan without an error");
  }
  assert.ok(Date.now() - started < 60_000, "the fuzz run stays bounded");
  assert.ok(withPlan < RUNS, "the generator produces invalid documents");
});

test("fuzz: hostile shapes (deep nesting, alias bombs, huge numbers) are diagnostics", async () => {
  const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`), "services: {app: {image: x}}"].join("\n");
  const cases = ["[".repeat(5000) + "]".repeat(5000), `services:\n  app:\n    image: x\n    x-deep: ${"[".repeat(200)}${"]".repeat(200)}`, bomb, "services: {app: {image: a, cpus: 1e400, mem_limit: 99999999999999999999999999}}", "\u0000\u0001\u0002", "services:\n  app: &x\n    image: a\n    more: *x\n"];
  for (const text of cases) {
    const res = await planFromPath("/ws/compose.yaml", { files: memoryFiles({ "compose.yaml": text }) });
    assert.deepEqual(res.diagnostics.filter((d) => d.message.startsWith("internal error")), [], text.slice(0, 80));
    assert.ok(res.diagnostics.some((d) => d.severity === "error"), `expected an error for ${text.slice(0, 80)}`);
  }
});
